package dev.secrets.spring.example;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The fields of the key/value secret {@code demo/greeting}, imported with the prefix {@code greeting.}. */
@ConfigurationProperties("greeting")
public class GreetingProperties {
    /** The greeting's text. */
    private String message;

    /** Who is greeted. */
    private String recipient;

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getRecipient() {
        return recipient;
    }

    public void setRecipient(String recipient) {
        this.recipient = recipient;
    }
}
