package dev.secrets.testing;

import dev.secrets.spi.RotationContext;
import dev.secrets.spi.Rotator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rotator for tests that runs a real rotator's steps and, when armed, fails right after a given
 * step has done its work — with an exception (a failed step) or an {@link Error} that the engine
 * does not catch (a crash: the lease stays taken and nothing is recorded) — or blocks after it until
 * released. Counts the steps it ran. Thread-safe.
 *
 * <pre>{@code
 * FaultInjectingRotator r = new FaultInjectingRotator("flaky", new RandomPasswordRotator());
 * r.failOnceAfter("setSecret");
 * SecretsClient client = SecretsClient.builder()....rotator(r).build();
 * }</pre>
 */
public final class FaultInjectingRotator implements Rotator {
    /** Thrown to fail a step. */
    public static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InjectedFailure(String message) {
            super(message);
        }
    }

    /** Thrown to simulate a crash: an Error, which the engine lets through without recording anything. */
    public static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        public SimulatedCrash(String message) {
            super(message);
        }
    }

    private final String name;
    private final Rotator delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final Set<String> crashOnce = ConcurrentHashMap.newKeySet();
    private volatile String failAlways;
    private volatile String failMessage = "injected failure";
    private volatile String blockAfter;
    private volatile CountDownLatch blocked = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(1);

    public FaultInjectingRotator(String name, Rotator delegate) {
        this.name = name;
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void validate(Map<String, String> parameters) {
        delegate.validate(parameters);
    }

    /** The next run of {@code step} fails after doing its work. */
    public FaultInjectingRotator failOnceAfter(String step) {
        failOnce.add(step);
        return this;
    }

    /** Every run of {@code step} fails after doing its work, with {@code message}, until {@link #heal()}. */
    public FaultInjectingRotator failAlwaysAfter(String step, String message) {
        failMessage = message;
        failAlways = step;
        return this;
    }

    /** The next run of {@code step} crashes (an Error) after doing its work. */
    public FaultInjectingRotator crashOnceAfter(String step) {
        crashOnce.add(step);
        return this;
    }

    /** Each run of {@code step} waits after its work until {@link #release()}. */
    public FaultInjectingRotator blockAfter(String step) {
        blocked = new CountDownLatch(1);
        release = new CountDownLatch(1);
        blockAfter = step;
        return this;
    }

    /** Waits until a run is blocked; true if one is. */
    public boolean awaitBlocked(long seconds) throws InterruptedException {
        return blocked.await(seconds, TimeUnit.SECONDS);
    }

    public void release() {
        blockAfter = null;
        release.countDown();
    }

    public void heal() {
        failAlways = null;
    }

    /** How many times {@code step} ran (including runs that then failed). */
    public int calls(String step) {
        AtomicInteger n = calls.get(step);
        return n == null ? 0 : n.get();
    }

    @Override
    public void createSecret(RotationContext context) {
        delegate.createSecret(context);
        after("createSecret");
    }

    @Override
    public void setSecret(RotationContext context) {
        delegate.setSecret(context);
        after("setSecret");
    }

    @Override
    public void testSecret(RotationContext context) {
        delegate.testSecret(context);
        after("testSecret");
    }

    @Override
    public void cancelSecret(RotationContext context) {
        delegate.cancelSecret(context);
    }

    @Override
    public void finishSecret(RotationContext context) {
        delegate.finishSecret(context);
        after("finishSecret");
    }

    private void after(String step) {
        calls.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
        if (step.equals(blockAfter)) {
            blocked.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new InjectedFailure("blocked step " + step + " was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InjectedFailure("interrupted while blocked after " + step);
            }
        }
        if (crashOnce.remove(step)) {
            throw new SimulatedCrash("simulated crash after " + step);
        }
        if (failOnce.remove(step)) {
            throw new InjectedFailure("injected failure after " + step);
        }
        if (step.equals(failAlways)) {
            throw new InjectedFailure(failMessage);
        }
    }
}
