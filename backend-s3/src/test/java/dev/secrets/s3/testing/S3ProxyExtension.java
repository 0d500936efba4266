package dev.secrets.s3.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM's shared embedded s3proxy: {@code @ExtendWith(S3ProxyExtension.class)} and a
 * parameter of type {@link S3ProxyServer} (constructor, lifecycle or test method). The server is
 * started once per JVM, on first use.
 */
public final class S3ProxyExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == S3ProxyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return S3ProxyServer.shared();
    }
}
