package dev.secrets;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Random passwords with the options of AWS Secrets Manager's {@code GetRandomPassword}: a length
 * (default 32), characters to exclude, whole classes to exclude (numbers, punctuation, upper case,
 * lower case), whether a space may appear, and whether each included class must appear at least
 * once (default yes).
 *
 * <p>The classes are ASCII: {@code 0-9}, {@code A-Z}, {@code a-z}, the 32 punctuation characters
 * {@code !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~}, and the space. Characters are drawn uniformly from the
 * included set with the given {@link SecureRandom}; when each class is required, one character of
 * each class is drawn first, the rest from the whole set, and the result is shuffled.
 *
 * <pre>{@code
 * String pw = RandomPassword.builder().length(24).excludePunctuation(true).build().generate();
 * }</pre>
 *
 * <p>Immutable and thread-safe (a {@code SecureRandom} is thread-safe). Options are checked by
 * {@link Builder#build()}, which throws {@link InvalidSecretException} for impossible ones.
 */
public final class RandomPassword {
    /** Default length, as in AWS. */
    public static final int DEFAULT_LENGTH = 32;
    /** Longest password, as in AWS. */
    public static final int MAX_LENGTH = 4096;

    static final String NUMBERS = "0123456789";
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /** Parameter names understood by {@link #fromParameters(Map)}, the rotators' option keys. */
    public static final String PASSWORD_LENGTH = "passwordLength";
    public static final String EXCLUDE_CHARACTERS = "excludeCharacters";
    public static final String EXCLUDE_NUMBERS = "excludeNumbers";
    public static final String EXCLUDE_PUNCTUATION = "excludePunctuation";
    public static final String EXCLUDE_UPPERCASE = "excludeUppercase";
    public static final String EXCLUDE_LOWERCASE = "excludeLowercase";
    public static final String INCLUDE_SPACE = "includeSpace";
    public static final String REQUIRE_EACH_INCLUDED_TYPE = "requireEachIncludedType";

    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();

    private final int length;
    private final String excludeCharacters;
    private final boolean excludeNumbers;
    private final boolean excludePunctuation;
    private final boolean excludeUppercase;
    private final boolean excludeLowercase;
    private final boolean includeSpace;
    private final boolean requireEachIncludedType;
    /** The included classes, each without the excluded characters; none is empty. */
    private final List<char[]> classes;
    private final char[] all;

    private RandomPassword(Builder b) {
        this.length = b.length;
        this.excludeCharacters = b.excludeCharacters;
        this.excludeNumbers = b.excludeNumbers;
        this.excludePunctuation = b.excludePunctuation;
        this.excludeUppercase = b.excludeUppercase;
        this.excludeLowercase = b.excludeLowercase;
        this.includeSpace = b.includeSpace;
        this.requireEachIncludedType = b.requireEachIncludedType;
        if (length < 1 || length > MAX_LENGTH) {
            throw new InvalidSecretException("password length is " + length + "; it must be 1 to " + MAX_LENGTH);
        }
        List<char[]> included = new ArrayList<>();
        StringBuilder union = new StringBuilder();
        addClass(included, union, excludeNumbers ? null : NUMBERS, "numbers");
        addClass(included, union, excludeUppercase ? null : UPPER, "upper case letters");
        addClass(included, union, excludeLowercase ? null : LOWER, "lower case letters");
        addClass(included, union, excludePunctuation ? null : PUNCTUATION, "punctuation");
        addClass(included, union, includeSpace ? " " : null, "space");
        if (union.length() == 0) {
            throw new InvalidSecretException("the password options exclude every character; include at least one class");
        }
        if (requireEachIncludedType && included.size() > length) {
            throw new InvalidSecretException("a password of length " + length + " cannot hold one character of each of the "
                    + included.size() + " included classes; make it longer or exclude classes");
        }
        this.classes = List.copyOf(included);
        this.all = union.toString().toCharArray();
    }

    private void addClass(List<char[]> included, StringBuilder union, String chars, String name) {
        if (chars == null) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (char c : chars.toCharArray()) {
            if (excludeCharacters.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        if (kept.length() == 0) {
            if (requireEachIncludedType) {
                throw new InvalidSecretException("every character of the class '" + name
                        + "' is excluded, but each included class is required; exclude the class instead");
            }
            return;
        }
        included.add(kept.toString().toCharArray());
        union.append(kept);
    }

    /** A builder with AWS's defaults: length 32, every class but space, each class required. */
    public static Builder builder() {
        return new Builder();
    }

    /** AWS's defaults: 32 characters of numbers, letters and punctuation, each class present. */
    public static RandomPassword defaults() {
        return builder().build();
    }

    /**
     * Options from rotator parameters: {@value #PASSWORD_LENGTH}, {@value #EXCLUDE_CHARACTERS},
     * {@value #EXCLUDE_NUMBERS}, {@value #EXCLUDE_PUNCTUATION}, {@value #EXCLUDE_UPPERCASE},
     * {@value #EXCLUDE_LOWERCASE}, {@value #INCLUDE_SPACE}, {@value #REQUIRE_EACH_INCLUDED_TYPE};
     * absent ones take their defaults, other keys are ignored.
     *
     * @throws InvalidSecretException naming the parameter when a value is not a number or a boolean, or the options are impossible
     */
    public static RandomPassword fromParameters(Map<String, String> params) {
        Builder b = builder();
        String len = params.get(PASSWORD_LENGTH);
        if (len != null) {
            try {
                b.length(Integer.parseInt(len.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidSecretException("parameter " + PASSWORD_LENGTH + " must be a whole number, not '" + len + "'");
            }
        }
        if (params.get(EXCLUDE_CHARACTERS) != null) {
            b.excludeCharacters(params.get(EXCLUDE_CHARACTERS));
        }
        b.excludeNumbers(bool(params, EXCLUDE_NUMBERS, false));
        b.excludePunctuation(bool(params, EXCLUDE_PUNCTUATION, false));
        b.excludeUppercase(bool(params, EXCLUDE_UPPERCASE, false));
        b.excludeLowercase(bool(params, EXCLUDE_LOWERCASE, false));
        b.includeSpace(bool(params, INCLUDE_SPACE, false));
        b.requireEachIncludedType(bool(params, REQUIRE_EACH_INCLUDED_TYPE, true));
        return b.build();
    }

    private static boolean bool(Map<String, String> params, String key, boolean dflt) {
        String v = params.get(key);
        if (v == null) {
            return dflt;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new InvalidSecretException("parameter " + key + " must be true or false, not '" + v + "'");
        }
    }

    /** A new password from a shared {@link SecureRandom}. */
    public String generate() {
        return generate(DEFAULT_RANDOM);
    }

    /** A new password from {@code random}. */
    public String generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        char[] out = new char[length];
        int i = 0;
        if (requireEachIncludedType) {
            for (char[] cls : classes) {
                out[i++] = cls[random.nextInt(cls.length)];
            }
        }
        for (; i < length; i++) {
            out[i] = all[random.nextInt(all.length)];
        }
        if (requireEachIncludedType) {
            for (int j = length - 1; j > 0; j--) {
                int k = random.nextInt(j + 1);
                char t = out[j];
                out[j] = out[k];
                out[k] = t;
            }
        }
        return new String(out);
    }

    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "RandomPassword[length=" + length + ", excludeCharacters=" + excludeCharacters.length() + " chars"
                + (excludeNumbers ? ", no numbers" : "") + (excludePunctuation ? ", no punctuation" : "")
                + (excludeUppercase ? ", no upper case" : "") + (excludeLowercase ? ", no lower case" : "")
                + (includeSpace ? ", space" : "") + (requireEachIncludedType ? ", each class required" : "") + "]";
    }

    /** Options of a {@link RandomPassword}; not thread-safe. */
    public static final class Builder {
        private int length = DEFAULT_LENGTH;
        private String excludeCharacters = "";
        private boolean excludeNumbers;
        private boolean excludePunctuation;
        private boolean excludeUppercase;
        private boolean excludeLowercase;
        private boolean includeSpace;
        private boolean requireEachIncludedType = true;

        private Builder() {
        }

        /** 1 to {@value RandomPassword#MAX_LENGTH}; default {@value RandomPassword#DEFAULT_LENGTH}. */
        public Builder length(int length) {
            this.length = length;
            return this;
        }

        /** Characters never to use. */
        public Builder excludeCharacters(String chars) {
            this.excludeCharacters = Objects.requireNonNull(chars, "chars");
            return this;
        }

        public Builder excludeNumbers(boolean b) {
            this.excludeNumbers = b;
            return this;
        }

        public Builder excludePunctuation(boolean b) {
            this.excludePunctuation = b;
            return this;
        }

        public Builder excludeUppercase(boolean b) {
            this.excludeUppercase = b;
            return this;
        }

        public Builder excludeLowercase(boolean b) {
            this.excludeLowercase = b;
            return this;
        }

        /** Whether the space character may appear; default no. */
        public Builder includeSpace(boolean b) {
            this.includeSpace = b;
            return this;
        }

        /** Whether each included class must appear at least once; default yes. */
        public Builder requireEachIncludedType(boolean b) {
            this.requireEachIncludedType = b;
            return this;
        }

        /** @throws InvalidSecretException when the options leave no character, or cannot be met at this length */
        public RandomPassword build() {
            return new RandomPassword(this);
        }
    }
}
