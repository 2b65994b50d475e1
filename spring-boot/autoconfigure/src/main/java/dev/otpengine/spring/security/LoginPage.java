package dev.otpengine.spring.security;

/**
 * The login page as HTML, written here with no template engine: one step at a time (the recipient, then the code),
 * every form a plain POST that works with JavaScript off and carries the CSRF token, every value HTML-escaped. The
 * little JavaScript it has only enhances: the resend countdown (the button is disabled in the HTML itself) and WebOTP.
 *
 * <p>Classes, for restyling ({@code login.stylesheet(url)} adds a stylesheet after the built-in one):
 * {@code otp-login} (body), {@code otp-login__card} (main), {@code otp-login__title}, {@code otp-login__message}
 * with {@code otp-login__message--error} or {@code --info}, {@code otp-login__form}, {@code otp-login__label},
 * {@code otp-login__input}, {@code otp-login__hint}, {@code otp-login__button},
 * {@code otp-login__button--secondary}, {@code otp-login__link}, {@code otp-login__captcha} (around the application's
 * captcha, if it set one).
 */
final class LoginPage {

    /** The built-in style: small, plain, overridable class by class. */
    static final String STYLE = "body.otp-login{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;"
            + "color:#1d1f23}.otp-login__card{max-width:24rem;margin:3rem auto;padding:2rem;background:#fff;"
            + "border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12)}.otp-login__title{margin:0 0 1rem;"
            + "font-size:1.5rem}.otp-login__message{margin:0 0 1rem}.otp-login__message:empty{display:none}"
            + ".otp-login__message--error{color:#a4161a}.otp-login__message--info{color:#1d5c2e}"
            + ".otp-login__form{display:flex;flex-direction:column;gap:.5rem;margin:0 0 1rem}"
            + ".otp-login__label{font-weight:600}.otp-login__input{font:inherit;padding:.5rem;border:1px solid #8a8f98;"
            + "border-radius:4px}.otp-login__input:focus,.otp-login__button:focus,.otp-login__link:focus{"
            + "outline:3px solid #2b6cb0;outline-offset:2px}.otp-login__hint{margin:0;font-size:.875rem;"
            + "color:#555}.otp-login__button{font:inherit;padding:.5rem 1rem;border:0;border-radius:4px;"
            + "background:#2b6cb0;color:#fff;cursor:pointer}.otp-login__button--secondary{background:#e2e6ec;"
            + "color:#1d1f23}.otp-login__button:disabled{opacity:.6;cursor:default}";

    /** What a page shows; paths already carry the context path. */
    record View(LoginTexts texts, OtpLoginState state, boolean codeStep, String error, boolean errorIsInfo,
                String csrfName, String csrfToken, String pagePath, String sendPath, String verifyPath,
                RecipientKind kind, int codeLength, boolean alphanumeric, long resendWait, String stylesheet,
                String captchaHtml) {
    }

    /** What the recipient field asks for. */
    enum RecipientKind { TEL, EMAIL, ANY }

    private LoginPage() {
    }

    static String render(View v) {
        LoginTexts t = v.texts();
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html>\n<html lang=\"").append(t.tag()).append("\" dir=\"")
                .append(t.rightToLeft() ? "rtl" : "ltr").append("\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(t.text("title"))).append("</title><style>").append(STYLE)
                .append("</style>");
        if (v.stylesheet() != null) {
            h.append("<link rel=\"stylesheet\" href=\"").append(esc(v.stylesheet())).append("\">");
        }
        h.append("</head><body class=\"otp-login\"><main class=\"otp-login__card\"><h1 class=\"otp-login__title\">")
                .append(esc(t.text("title"))).append("</h1>");
        h.append("<p id=\"otp-message\" class=\"otp-login__message otp-login__message--")
                .append(v.errorIsInfo() ? "info" : "error").append("\" role=\"status\" aria-live=\"polite\">");
        if (v.error() != null) {
            h.append(esc(v.error()));
        }
        h.append("</p>");
        if (v.codeStep()) {
            codeStep(h, v);
        } else {
            recipientStep(h, v);
        }
        return h.append("</main></body></html>\n").toString();
    }

    private static void recipientStep(StringBuilder h, View v) {
        LoginTexts t = v.texts();
        String label;
        String type;
        String autocomplete;
        switch (v.kind()) {
            case EMAIL -> {
                label = t.text("recipient.label.email");
                type = "email";
                autocomplete = "email";
            }
            case TEL -> {
                label = t.text("recipient.label.tel");
                type = "tel";
                autocomplete = "tel";
            }
            default -> {
                label = t.text("recipient.label.any");
                type = "text";
                autocomplete = "username";
            }
        }
        h.append("<form class=\"otp-login__form\" method=\"post\" action=\"").append(esc(v.sendPath())).append("\">")
                .append("<label class=\"otp-login__label\" for=\"recipient\">").append(esc(label)).append("</label>")
                .append("<input class=\"otp-login__input\" id=\"recipient\" name=\"recipient\" type=\"").append(type)
                .append("\" autocomplete=\"").append(autocomplete).append("\" required autofocus");
        if (v.kind() == RecipientKind.TEL) {
            h.append(" aria-describedby=\"recipient-hint\">")
                    .append("<p class=\"otp-login__hint\" id=\"recipient-hint\">")
                    .append(esc(t.text("recipient.hint.tel"))).append("</p>");
        } else {
            h.append(">");
        }
        csrf(h, v);
        captcha(h, v);
        h.append("<button class=\"otp-login__button\" type=\"submit\">").append(esc(t.text("send")))
                .append("</button></form>");
    }

    private static void codeStep(StringBuilder h, View v) {
        LoginTexts t = v.texts();
        OtpLoginState s = v.state();
        h.append("<p class=\"otp-login__hint\" id=\"code-sent\">").append(esc(t.text("code.sent",
                s.maskedRecipient()))).append("</p>");
        h.append("<form class=\"otp-login__form\" id=\"otp-code-form\" method=\"post\" action=\"")
                .append(esc(v.verifyPath())).append("\">")
                .append("<label class=\"otp-login__label\" for=\"code\">").append(esc(t.text("code.label")))
                .append("</label><input class=\"otp-login__input\" id=\"code\" name=\"code\" type=\"text\" ")
                .append("autocomplete=\"one-time-code\" inputmode=\"").append(v.alphanumeric() ? "text" : "numeric")
                .append('"');
        if (v.alphanumeric()) {
            h.append(" autocapitalize=\"characters\"");
        }
        h.append(" maxlength=\"").append(v.codeLength()).append("\" aria-describedby=\"code-sent\" required autofocus>")
                .append("<input type=\"hidden\" name=\"requestId\" value=\"")
                .append(esc(s.requestId().orElse(""))).append("\">");
        csrf(h, v);
        h.append("<button class=\"otp-login__button\" type=\"submit\">").append(esc(t.text("signIn")))
                .append("</button></form>");
        String waitText = t.text("resend.wait", "{0}");
        h.append("<form class=\"otp-login__form\" method=\"post\" action=\"").append(esc(v.sendPath())).append("\">")
                .append("<input type=\"hidden\" name=\"resend\" value=\"true\">");
        csrf(h, v);
        captcha(h, v);
        h.append("<button class=\"otp-login__button otp-login__button--secondary\" id=\"otp-resend\" type=\"submit\"");
        if (v.resendWait() > 0) {
            h.append(" disabled aria-describedby=\"otp-resend-wait\"");
        }
        h.append(" data-wait=\"").append(v.resendWait()).append("\">").append(esc(t.text("resend")))
                .append("</button><p class=\"otp-login__hint\" id=\"otp-resend-wait\" data-text=\"").append(esc(waitText))
                .append('"').append(v.resendWait() > 0 ? "" : " hidden").append('>');
        if (v.resendWait() > 0) {
            h.append(esc(t.text("resend.wait", v.resendWait())));
        }
        h.append("</p></form><p><a class=\"otp-login__link\" href=\"").append(esc(v.pagePath()))
                .append("?restart\">").append(esc(t.text("restart"))).append("</a></p>");
        // Enhancements only: the button is disabled in the HTML above, and the form posts without any of this.
        h.append("<script>(function(){var b=document.getElementById('otp-resend'),w=document.getElementById(")
                .append("'otp-resend-wait'),n=+b.getAttribute('data-wait'),f=w.getAttribute('data-text');")
                .append("if(n>0){var i=setInterval(function(){n--;if(n<=0){clearInterval(i);b.disabled=false;")
                .append("w.hidden=true;}else{w.textContent=f.replace('{0}',n);}},1000);}")
                .append("if('OTPCredential' in window){var a=new AbortController(),c=document.getElementById('code'),")
                .append("g=document.getElementById('otp-code-form');g.addEventListener('submit',function(){a.abort();});")
                .append("navigator.credentials.get({otp:{transport:['sms']},signal:a.signal}).then(function(o){")
                .append("if(o&&o.code){c.value=o.code;g.submit();}}).catch(function(){});}})();</script>");
    }

    private static void csrf(StringBuilder h, View v) {
        if (v.csrfToken() != null) {
            h.append("<input type=\"hidden\" name=\"").append(esc(v.csrfName())).append("\" value=\"")
                    .append(esc(v.csrfToken())).append("\">");
        }
    }

    /** The application's captcha, as its own markup (OtpLoginConfigurer.captcha): not escaped. */
    private static void captcha(StringBuilder h, View v) {
        if (v.captchaHtml() != null) {
            h.append("<div class=\"otp-login__captcha\">").append(v.captchaHtml()).append("</div>");
        }
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
