package com.example.otp;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's promise: an application with only the starter and the README's {@code application.yml} answers a send
 * with 201 and a request id, and a wrong widget id with 404 in the engine's shape, on a real port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
final class OtpApplicationTest {

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> post(String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/otp"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSend_is201WithARequestId_andAWrongWidget404() throws Exception {
        HttpResponse<String> sent = post("{\"widgetId\":\"123634df-ddfe-4dda-b31d-f3b4e75fc5dc\","
                + "\"recipient\":\"+12025550162\"}");
        assertEquals(201, sent.statusCode(), sent.body());
        assertTrue(sent.body().matches("\\{\"requestId\":\"[0-9a-f-]{36}\",\"expiresAt\":\"[^\"]+\"}"), sent.body());

        HttpResponse<String> unknown = post("{\"widgetId\":\"00000000-0000-4000-8000-000000000000\","
                + "\"recipient\":\"+12025550162\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().startsWith("{\"type\":\"WidgetNotFoundException\""), unknown.body());
    }
}
