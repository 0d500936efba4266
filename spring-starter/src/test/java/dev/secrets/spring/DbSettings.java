package dev.secrets.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** A {@code @ConfigurationProperties} bean bound from the fields of an imported secret under {@code app.db.}. */
@ConfigurationProperties("app.db")
public class DbSettings {
    private String username;
    private String password;

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
