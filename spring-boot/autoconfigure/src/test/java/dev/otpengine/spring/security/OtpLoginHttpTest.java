package dev.otpengine.spring.security;

import dev.otpengine.SendResult;
import dev.otpengine.spi.Channel;
import dev.otpengine.OtpEngine;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a browser cannot show, over real HTTP with cookies and CSRF tokens as a browser without JavaScript sends them:
 * who is signed in, the session id, CSRF refusals, redirects, what the pages contain.
 */
@OtpLoginApplicationTest
final class OtpLoginHttpTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Channel sms;

    @Autowired
    OtpEngine engine;

    private String code(String recipient) {
        return ((CapturingChannel) sms).lastCode(recipient).orElseThrow();
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    @Test
    void signIn_withTheRightCode_newSessionId_savedRequest_principalIsTheRecipient_nothingLeftInPages()
            throws Exception {
        Visitor v = new Visitor(port);
        HttpResponse<String> protectedPage = v.get("/account");
        assertEquals(302, protectedPage.statusCode());
        assertEquals(v.base() + "/login/otp", protectedPage.headers().firstValue("Location").orElseThrow());
        String codePage = v.sendCode("+1 (202) 555-0111");
        assertTrue(codePage.contains("We sent a code to +12\u2022\u2022\u2022\u2022\u2022\u2022\u202211."), codePage);
        assertFalse(codePage.contains("+12025550111"), codePage);
        String before = v.cookie("JSESSIONID");
        String code = code("+12025550111");

        HttpResponse<String> signedIn = v.postCode(codePage, code);

        assertEquals(302, signedIn.statusCode(), signedIn.body());
        assertEquals(v.base() + "/account?continue", signedIn.headers().firstValue("Location").orElseThrow());
        assertNotEquals(before, v.cookie("JSESSIONID"));
        HttpResponse<String> account = v.get("/account");
        assertEquals(200, account.statusCode());
        String after = v.get("/login/otp").body();
        assertFalse(after.contains("\u2022"), "no masked recipient left: " + after);
        for (String page : java.util.List.of(signedIn.body(), account.body(), after, v.get("/").body())) {
            assertFalse(page.contains("2025550111") || page.contains("\u2022") || page.contains(code), page);
        }
        assertEquals("+12025550111", v.get("/whoami").body());
    }

    @Test
    void aCodeOfAnotherRecipient_orAGuessAtAnotherRecipientsRequest_signsNobodyIn() throws Exception {
        Visitor victim = new Visitor(port);
        String victimPage = victim.sendCode("+12025550112");
        String victimRequest = Visitor.field(victimPage, "requestId");
        Visitor attacker = new Visitor(port);
        String attackerPage = attacker.sendCode("+12025550113");
        String attackerCode = code("+12025550113");

        Map<String, String> forged = attacker.formOf(attackerPage);
        forged.put("requestId", victimRequest);
        forged.put("code", attackerCode);
        forged.put("recipient", "+12025550112");
        HttpResponse<String> refused = attacker.post("/login/otp", forged);
        assertEquals(v(attacker) + "/login/otp?error", refused.headers().firstValue("Location").orElseThrow());
        assertEquals(302, attacker.get("/whoami").statusCode());

        // the attacker's own code with a recipient field naming the victim: signed in as the attacker, never the victim
        Map<String, String> own = attacker.formOf(attacker.get("/login/otp").body());
        own.put("requestId", Visitor.field(attackerPage, "requestId"));
        own.put("code", attackerCode);
        own.put("recipient", "+12025550112");
        assertEquals(302, attacker.post("/login/otp", own).statusCode());
        assertEquals("+12025550113", attacker.get("/whoami").body());
        assertEquals(302, victim.get("/whoami").statusCode());
    }

    private static String v(Visitor visitor) {
        return visitor.base();
    }

    @Test
    void aVerifiedCodeOfAnotherWidget_signsNobodyIn() throws Exception {
        SendResult other = engine.send(OtpEngine.class.cast(engine) == null ? null
                : dev.otpengine.SendRequest.builder(UUID.fromString(OtpLoginApp.OTHER_WIDGET)).phone("+12025550114")
                .build());
        Visitor v = new Visitor(port);
        Map<String, String> form = v.formOf(v.get("/login/otp").body());
        form.put("requestId", other.requestId().toString());
        form.put("code", code("+12025550114"));
        HttpResponse<String> refused = v.post("/login/otp", form);
        assertEquals(v.base() + "/login/otp?error", refused.headers().firstValue("Location").orElseThrow());
        assertEquals(302, v.get("/whoami").statusCode());
        assertTrue(v.get("/login/otp?error").body().contains("The code is no longer valid. Ask for a new code."));
    }

    @Test
    void postsWithoutTheCsrfToken_are403_andSendNothing() throws Exception {
        Visitor v = new Visitor(port);
        v.get("/login/otp");
        int before = ((CapturingChannel) sms).messages().size();
        HttpResponse<String> send = v.post("/login/otp/send", Map.of("recipient", "+12025550115"));
        assertEquals(403, send.statusCode());
        HttpResponse<String> forged = v.post("/login/otp/send", Map.of("recipient", "+12025550115", "_csrf", "forged"));
        assertEquals(403, forged.statusCode());
        assertEquals(before, ((CapturingChannel) sms).messages().size());
        assertTrue(((CapturingChannel) sms).lastCode("+12025550115").isEmpty());
        HttpResponse<String> code = v.post("/login/otp", Map.of("requestId", UUID.randomUUID().toString(),
                "code", "123456"));
        assertEquals(403, code.statusCode());
    }

    @Test
    void theSavedRequest_neverRedirectsOffSite() throws Exception {
        Visitor v = new Visitor(port);
        v.get("/login/otp?continue=https://evil.example");
        HttpResponse<String> doubleSlash = v.get("//evil.example/account");
        assertTrue(doubleSlash.statusCode() == 400 || doubleSlash.headers().firstValue("Location").orElse("")
                .startsWith(v.base() + "/"), doubleSlash.statusCode() + " " + doubleSlash.headers().map());
        String codePage = v.sendCode("+12025550116");
        Map<String, String> form = v.formOf(codePage);
        form.put("requestId", Visitor.field(codePage, "requestId"));
        form.put("code", code("+12025550116"));
        form.put("continue", "https://evil.example");
        form.put("redirect", "//evil.example");
        HttpResponse<String> signedIn = v.post("/login/otp?continue=https://evil.example", form);
        assertEquals(v.base() + "/", signedIn.headers().firstValue("Location").orElseThrow());

        Visitor w = new Visitor(port);
        w.get("/account?continue=https://evil.example&next=//evil.example");
        HttpResponse<String> back = w.postCode(w.sendCode("+12025550117"), code("+12025550117"));
        String location = back.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(w.base() + "/account?"), location);
    }

    @Test
    void aSavedRequestWithAnAttackersHost_signsInBackOnThisOrigin_neverOnThatHost() throws Exception {
        Visitor v = new Visitor(port);
        String saved = v.getWithHost("/account?tab=1", "evil.example");
        assertTrue(saved.startsWith("HTTP/1.1 302"), saved);
        assertTrue(saved.contains("evil.example"), "the entry point names the request's host: " + saved);

        HttpResponse<String> signedIn = v.postCode(v.sendCode("+12025550141"), code("+12025550141"));

        assertEquals(302, signedIn.statusCode(), signedIn.body());
        assertEquals(v.base() + "/account?tab=1&continue", signedIn.headers().firstValue("Location").orElseThrow());
        assertEquals("+12025550141", v.get("/whoami").body());

        Visitor w = new Visitor(port);
        w.getWithHost("/account", "evil.example:8443");
        String codePage = w.sendCode("+12025550142");
        HttpResponse<String> json = w.postJson("/login/otp", "{\"requestId\":\"" + Visitor.field(codePage, "requestId")
                + "\",\"code\":\"" + code("+12025550142") + "\"}", "X-XSRF-TOKEN", w.cookie("XSRF-TOKEN"));
        assertEquals("{\"status\":\"VERIFIED\",\"redirectUrl\":\"/account?continue\"}", json.body());
    }

    @Test
    void logout_endsTheSession_andTheLoginPageSaysSo() throws Exception {
        Visitor v = new Visitor(port);
        v.postCode(v.sendCode("+12025550118"), code("+12025550118"));
        assertEquals("+12025550118", v.get("/whoami").body());
        String home = v.get("/account").body();
        HttpResponse<String> refused = v.post("/logout", Map.of());
        assertEquals(403, refused.statusCode());
        assertEquals("+12025550118", v.get("/whoami").body());
        HttpResponse<String> out = v.post("/logout", Map.of(), "X-XSRF-TOKEN", v.cookie("XSRF-TOKEN"));
        assertEquals(302, out.statusCode(), home);
        assertEquals(v.base() + "/login/otp?logout", out.headers().firstValue("Location").orElseThrow());
        assertEquals(302, v.get("/whoami").statusCode());
        assertTrue(v.get("/login/otp?logout").body().contains("You have been signed out."));
    }

    @Test
    void aWrongCode_isBackOnThePage_withTheTriesLeft_thenTheRightOneSignsIn() throws Exception {
        Visitor v = new Visitor(port);
        String codePage = v.sendCode("+12025550119");
        String code = code("+12025550119");
        HttpResponse<String> wrong = v.postCode(codePage, wrong(code));
        assertEquals(v.base() + "/login/otp?error", wrong.headers().firstValue("Location").orElseThrow());
        String page = v.get("/login/otp?error").body();
        assertTrue(page.contains("That code is not right. Tries left: 4."), page);
        assertTrue(page.contains("name=\"code\""), page);
        assertEquals(302, v.postCode(page, code).statusCode());
        assertEquals("+12025550119", v.get("/whoami").body());
    }

    @Test
    void anUnknownUser_orALockedOne_isToldOnThePage_andNotSignedIn() throws Exception {
        Visitor v = new Visitor(port);
        v.postCode(v.sendCode(OtpLoginApp.UNKNOWN), code(OtpLoginApp.UNKNOWN));
        assertTrue(v.get("/login/otp?error").body()
                .contains("There is no account for this phone number or email address."));
        assertEquals(302, v.get("/whoami").statusCode());
        Visitor w = new Visitor(port);
        w.postCode(w.sendCode(OtpLoginApp.LOCKED), code(OtpLoginApp.LOCKED));
        assertTrue(w.get("/login/otp?error").body().contains("This account cannot sign in."));
        assertEquals(302, w.get("/whoami").statusCode());
    }

    @Test
    void aResendDuringTheCooldown_saysTheSecondsLeft_andTheButtonIsDisabled() throws Exception {
        Visitor v = new Visitor(port);
        String page = v.sendCode("+12025550120");
        assertTrue(page.matches("(?s).*id=\"otp-resend\" type=\"submit\" disabled.*"), page);
        Map<String, String> form = v.formOf(page);
        form.put("resend", "true");
        v.post("/login/otp/send", form);
        String refused = v.get("/login/otp?error").body();
        assertTrue(refused.matches("(?s).*Please wait (30|29|28) s before asking for a new code\\..*"), refused);
    }

    @Test
    void jsonSignIn_withTheCsrfHeader_answersVerifiedAndTheTarget_andAWrongCodeIs401WithTriesLeft()
            throws Exception {
        Visitor v = new Visitor(port);
        v.get("/login/otp");
        SendResult sent = engine.send(dev.otpengine.SendRequest.builder(UUID.fromString(OtpLoginApp.WIDGET))
                .phone("+12025550121").build());
        String code = code("+12025550121");
        HttpResponse<String> bad = v.postJson("/login/otp", "{\"requestId\":\"" + sent.requestId() + "\",\"code\":\""
                + wrong(code) + "\"}", "X-XSRF-TOKEN", v.cookie("XSRF-TOKEN"));
        assertEquals(401, bad.statusCode());
        assertEquals("{\"status\":\"INVALID_CODE\",\"attemptsLeft\":4,\"message\":\"That code is not right. "
                + "Tries left: 4.\"}", bad.body());
        HttpResponse<String> noToken = v.postJson("/login/otp", "{\"requestId\":\"" + sent.requestId()
                + "\",\"code\":\"" + code + "\"}", "X-XSRF-TOKEN", null);
        assertEquals(403, noToken.statusCode());
        HttpResponse<String> good = v.postJson("/login/otp", "{\"requestId\":\"" + sent.requestId() + "\",\"code\":\""
                + code + "\"}", "X-XSRF-TOKEN", v.cookie("XSRF-TOKEN"));
        assertEquals(200, good.statusCode(), good.body());
        assertEquals("{\"status\":\"VERIFIED\",\"redirectUrl\":\"/\"}", good.body());
        assertEquals("+12025550121", v.get("/whoami").body());
    }

    @Test
    void thePage_speaksTheAcceptedLanguage_persianRightToLeft_andEchoesNothingOfTheHeaderOrTheRecipient()
            throws Exception {
        Visitor v = new Visitor(port);
        v.language = "de-CH,de;q=0.9";
        assertTrue(v.get("/login/otp").body().contains("<html lang=\"de-DE\" dir=\"ltr\"><head>"));
        v.language = "fa-IR";
        assertTrue(v.get("/login/otp").body().contains("<html lang=\"fa\" dir=\"rtl\"><head>"));
        v.language = "zh-TW";
        assertTrue(v.get("/login/otp").body().contains("<title>登入</title>"));
        v.language = "\"><script>alert(1)</script>";
        String page = v.get("/login/otp").body();
        assertTrue(page.contains("<html lang=\"en\" dir=\"ltr\"><head>"), page);
        assertFalse(page.contains("alert(1)"), page);

        v.language = "en";
        Map<String, String> form = v.formOf(page);
        form.put("recipient", "<script>alert(2)</script>");
        v.post("/login/otp/send", form);
        String refused = v.get("/login/otp?error").body();
        assertTrue(refused.contains("Enter a phone number with its country code, or an email address."), refused);
        assertFalse(refused.contains("alert(2)"), refused);
        assertEquals("nosniff", v.get("/login/otp").headers().firstValue("X-Content-Type-Options").orElseThrow());
    }

    @Test
    void theWebComponentsModule_isServedAsJavaScript_under10KB() throws Exception {
        HttpResponse<String> module = new Visitor(port).get("/otp/otp-login.js");
        assertEquals(200, module.statusCode());
        assertEquals("text/javascript;charset=UTF-8", module.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(module.body().contains("customElements.define('otp-login', OtpLogin)"));
        assertTrue(module.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 10 * 1024);
    }
}
