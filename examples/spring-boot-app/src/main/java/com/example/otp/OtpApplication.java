package com.example.otp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with nothing of its own: the starter and {@code application.yml} make the engine and its API. */
@SpringBootApplication
public class OtpApplication {

    /**
     * Starts it.
     *
     * @param args Spring Boot's arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(OtpApplication.class, args);
    }
}
