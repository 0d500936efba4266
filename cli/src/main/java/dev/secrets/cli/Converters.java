package dev.secrets.cli;

import dev.secrets.InvalidSecretException;
import dev.secrets.Label;
import dev.secrets.SecretId;
import dev.secrets.SecretKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Argument converters: an invalid argument is wrong usage (exit status 2) and nothing is written. */
final class Converters {
    private Converters() {
    }

    /** A secret ID, validated by {@link SecretId#problem}. */
    static final class Id implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String problem = SecretId.problem(value);
            if (problem != null) {
                throw new TypeConversionException(problem);
            }
            return value;
        }
    }

    /** A staging label. */
    static final class LabelName implements ITypeConverter<Label> {
        @Override
        public Label convert(String value) {
            try {
                return Label.of(value);
            } catch (InvalidSecretException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A secret kind by name. */
    static final class Kind implements ITypeConverter<SecretKind> {
        @Override
        public SecretKind convert(String value) {
            try {
                return SecretKind.of(value);
            } catch (InvalidSecretException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A {@code KEY=VALUE} pair (tags, rotator parameters); {@code KEY} alone has a null value. */
    static final class Pair implements ITypeConverter<String[]> {
        @Override
        public String[] convert(String value) {
            int eq = value.indexOf('=');
            String k = eq < 0 ? value : value.substring(0, eq);
            if (k.isEmpty()) {
                throw new TypeConversionException("'" + value + "' has an empty key; write KEY=VALUE");
            }
            return new String[] {k, eq < 0 ? null : value.substring(eq + 1)};
        }
    }

    /** {@code KEY=VALUE[,VALUE…]}: an AWS ListSecrets filter. */
    static final class Filter implements ITypeConverter<dev.secrets.ListFilter> {
        @Override
        public dev.secrets.ListFilter convert(String value) {
            try {
                return dev.secrets.ListFilter.parse(value);
            } catch (dev.secrets.InvalidSecretException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
