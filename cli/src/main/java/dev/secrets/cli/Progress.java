package dev.secrets.cli;

import java.io.PrintStream;

/**
 * Progress of a long operation on standard error: one updating line at a terminal, else a line
 * at every tenth of the way (so logs of cron jobs stay short).
 */
final class Progress {
    private final PrintStream err;
    private final boolean terminal;
    private final String what;
    private int lastTenth = -1;
    private boolean shown;

    Progress(PrintStream err, boolean terminal, String what) {
        this.err = err;
        this.terminal = terminal;
        this.what = what;
    }

    void update(int done, int total) {
        int tenth = total == 0 ? 10 : done * 10 / total;
        if (terminal) {
            err.print("\r" + what + ": " + done + "/" + total);
            shown = true;
        } else if (tenth != lastTenth) {
            err.println(what + ": " + done + "/" + total);
            lastTenth = tenth;
        }
        err.flush();
    }

    void done() {
        if (terminal && shown) {
            err.println();
        }
    }
}
