package dev.secrets.spring;

import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.cloud.context.restart.RestartEndpoint;
import org.springframework.context.ApplicationContext;

/** The calls into Spring Cloud Context, in a class of their own: loaded only when it is on the class path. */
final class SpringCloudReload {
    private SpringCloudReload() {
    }

    static void refresh(ApplicationContext context) {
        context.getBean(ContextRefresher.class).refresh();
    }

    static void restart(Object endpoint) {
        ((RestartEndpoint) endpoint).restart();
    }
}
