package dev.secrets.spring;

import java.util.Map;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Applies a {@link ReloadStrategy} after the {@link SecretsWatcher} updated the property sources of
 * changed secrets.
 *
 * <ul>
 *   <li>{@code refresh} with Spring Cloud Context on the class path and its {@code ContextRefresher} bean:
 *       {@code ContextRefresher.refresh()}, which re-imports the configuration (through the same client,
 *       whose cache the watcher just refreshed), re-binds every {@code @ConfigurationProperties} bean and
 *       renews every {@code @RefreshScope} bean.</li>
 *   <li>{@code refresh} without it: every {@code @ConfigurationProperties} bean bound through setters is
 *       bound again from the updated environment (Spring's own {@code initializeBean}, as Spring Cloud's
 *       re-binder does). Beans bound through their constructor (records, {@code @ConstructorBinding})
 *       are immutable and keep their values.</li>
 *   <li>{@code restart}: Spring Cloud Context's {@code RestartEndpoint.restart()} (the Actuator restart
 *       endpoint's mechanism); {@link #check()} fails start-up when it is missing.</li>
 *   <li>{@code event} and {@code none}: nothing here.</li>
 * </ul>
 */
public final class SecretsReloader {
    static final String CONTEXT_REFRESHER = "org.springframework.cloud.context.refresh.ContextRefresher";
    static final String RESTART_ENDPOINT = "org.springframework.cloud.context.restart.RestartEndpoint";
    private static final Log LOG = LogFactory.getLog(SecretsReloader.class);

    private final ReloadStrategy strategy;
    private final ConfigurableApplicationContext context;

    /** A reloader that does nothing beyond updating the property sources (strategy {@code event}). */
    static SecretsReloader eventsOnly() {
        return new SecretsReloader(ReloadStrategy.EVENT, null);
    }

    public SecretsReloader(ReloadStrategy strategy, ConfigurableApplicationContext context) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.context = context;
    }

    public ReloadStrategy strategy() {
        return strategy;
    }

    /**
     * Checks that what the strategy needs is there.
     *
     * @throws IllegalStateException for {@code restart} without Spring Cloud Context's restart endpoint
     */
    void check() {
        if (strategy == ReloadStrategy.RESTART && restartEndpoint() == null) {
            throw new IllegalStateException("secrets.reload.strategy=restart needs Spring Cloud Context's restart endpoint: add"
                    + " org.springframework.cloud:spring-cloud-context and spring-boot-actuator to the application and set"
                    + " management.endpoint.restart.access=unrestricted; or choose secrets.reload.strategy=refresh");
        }
    }

    /** Whether the refresh goes through Spring Cloud Context's {@code ContextRefresher}. */
    public boolean usesSpringCloud() {
        return context != null && ClassUtils.isPresent(CONTEXT_REFRESHER, getClass().getClassLoader())
                && context.getBeanNamesForType(ClassUtils.resolveClassName(CONTEXT_REFRESHER, getClass().getClassLoader())).length > 0;
    }

    /** Applies the strategy; called after the property sources were updated. */
    void reload() {
        switch (strategy) {
            case REFRESH -> {
                if (usesSpringCloud()) {
                    SpringCloudReload.refresh(context);
                } else {
                    rebind();
                }
            }
            case RESTART -> {
                Object endpoint = restartEndpoint();
                if (endpoint != null) {
                    LOG.info("An imported secret changed: restarting the application context");
                    SpringCloudReload.restart(endpoint);
                }
            }
            default -> {
                // event, none: the property sources are updated; nothing else
            }
        }
    }

    private Object restartEndpoint() {
        if (context == null || !ClassUtils.isPresent(RESTART_ENDPOINT, getClass().getClassLoader())) {
            return null;
        }
        String[] names = context.getBeanNamesForType(ClassUtils.resolveClassName(RESTART_ENDPOINT, getClass().getClassLoader()));
        return names.length == 0 ? null : context.getBean(names[0]);
    }

    private void rebind() {
        Map<String, ConfigurationPropertiesBean> beans = ConfigurationPropertiesBean.getAll(context);
        for (Map.Entry<String, ConfigurationPropertiesBean> e : beans.entrySet()) {
            ConfigurationPropertiesBean b = e.getValue();
            if (b.asBindTarget().getBindMethod() == BindMethod.VALUE_OBJECT) {
                continue; // immutable: bound once, through its constructor
            }
            Object target = b.getInstance();
            if (AopUtils.isAopProxy(target)) {
                continue;
            }
            context.getAutowireCapableBeanFactory().initializeBean(target, e.getKey());
        }
    }
}
