package com.acme.incentives.e2e.support;

import com.acme.incentives.e2e.contract.RecordingWebConnection;
import com.fasterxml.jackson.databind.JsonNode;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.SilentCssErrorHandler;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.Cookie;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person in a browser: signs in through the gateway's authorization-code flow on Keycloak's real login form
 * (changing a temporary password when Keycloak asks), then calls the API with the session cookie and, for
 * state-changing calls, the XSRF header, as the partner portal does. No password grant, no token in the browser.
 */
public final class BrowserSession implements AutoCloseable {

    private final WebClient browser = new WebClient();

    private BrowserSession() {
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.getOptions().setRedirectEnabled(true);
        browser.setCssErrorHandler(new SilentCssErrorHandler());
        // The API calls a person makes in the browser go through the contract check too.
        new RecordingWebConnection(browser);
    }

    /**
     * Signs in; when Keycloak asks for a new password (a temporary one was used), sets {@code newPassword}.
     * Both passwords are remembered for the log scan.
     */
    public static BrowserSession signIn(String username, String password, String newPassword) throws Exception {
        return signIn(username, password, newPassword, null);
    }

    /**
     * Signs in from a browser set to {@code language} (its {@code Accept-Language} on every request, as a browser
     * sends it; null: none): Keycloak's sign-in and password pages must be in that language, and so are the API's
     * problem answers afterwards.
     */
    public static BrowserSession signIn(String username, String password, String newPassword, String language)
            throws Exception {
        SecretsSeen.remember(password);
        SecretsSeen.remember(newPassword);
        BrowserSession session = new BrowserSession();
        if (language != null) {
            session.browser.addRequestHeader("Accept-Language", language);
        }
        // Signed in on one gateway replica; the calls after it take turns over all of them (send).
        String gateway = Gateway.next();
        HtmlPage login = session.browser.getPage(gateway + "/login");
        HtmlElement form = (HtmlElement) login.getElementById("kc-form-login");
        assertThat(form).as("Keycloak's login form, reached through the gateway's /login").isNotNull();
        session.assertInLanguage(login, language);
        ((HtmlInput) login.getElementByName("username")).type(username);
        ((HtmlInput) login.getElementByName("password")).type(password);
        Page next = ((HtmlElement) login.getElementById("kc-login")).click();
        if (next instanceof HtmlPage page && !page.getElementsByName("password-new").isEmpty()) {
            assertThat(newPassword).as("Keycloak asks %s for a new password", username).isNotNull();
            session.assertInLanguage(page, language);
            ((HtmlInput) page.getElementByName("password-new")).type(newPassword);
            ((HtmlInput) page.getElementByName("password-confirm")).type(newPassword);
            HtmlElement submit = page.querySelector("form [type=submit]");
            assertThat(submit).as("the update-password form's submit button").isNotNull();
            next = submit.click();
        }
        assertThat(next.getUrl().toString()).as("back on the gateway's portal page, signed in (%s)",
                next.getWebResponse().getContentAsString()).isEqualTo(gateway + "/");
        String signedIn = session.browser.getPage(gateway + "/session").getWebResponse().getContentAsString();
        assertThat(SampleBodies.JSON.readTree(signedIn).path("signedIn").asBoolean()).as(signedIn).isTrue();
        return session;
    }

    /** A Keycloak page in the browser's language: its {@code <html lang>} and its heading's words. */
    private void assertInLanguage(HtmlPage page, String language) {
        if (language == null) {
            return;
        }
        String expected = language.substring(0, 2);
        assertThat(page.getDocumentElement().getAttribute("lang")).as("the language of %s", page.getUrl())
                .isEqualTo(expected);
        String title = page.getTitleText();
        // Keycloak's own translations (its ja and ko message bundles), not our text: the realm only switches them on.
        Map<String, String> script = Map.of("ja", ".*[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}].*",
                "ko", ".*\\p{IsHangul}.*", "en", "[\\p{ASCII}]*");
        assertThat(title).as("the title of %s in %s", page.getUrl(), expected).matches(script.get(expected));
    }

    public WebResponse get(String path) throws Exception {
        return send(HttpMethod.GET, path, null, "application/json");
    }

    public WebResponse getCsv(String path) throws Exception {
        return send(HttpMethod.GET, path, null, "text/csv");
    }

    public WebResponse post(String path, String json) throws Exception {
        return send(HttpMethod.POST, path, json, "application/json");
    }

    public WebResponse put(String path, String json) throws Exception {
        return send(HttpMethod.PUT, path, json, "application/json");
    }

    /** The value of the gateway's XSRF-TOKEN cookie, which the portal echoes in X-XSRF-TOKEN. */
    public String xsrfToken() {
        Cookie xsrf = browser.getCookieManager().getCookie("XSRF-TOKEN");
        assertThat(xsrf).as("the gateway's XSRF-TOKEN cookie").isNotNull();
        return xsrf.getValue();
    }

    /** A call with exactly these extra headers (no XSRF header or Origin added): for forging cross-site calls. */
    public WebResponse raw(HttpMethod method, String path, String json, java.util.Map<String, String> headers)
            throws Exception {
        WebRequest request = new WebRequest(new URL(Gateway.URL + path), method);
        request.setAdditionalHeader("Accept", "application/json");
        if (json != null) {
            request.setAdditionalHeader("Content-Type", "application/json");
            request.setCharset(StandardCharsets.UTF_8);
            request.setRequestBody(json);
        }
        headers.forEach(request::setAdditionalHeader);
        return browser.loadWebResponse(request);
    }

    /** JSON is UTF-8 (RFC 8259, no charset parameter), as a browser's response.json() reads it. */
    public JsonNode json(WebResponse response) throws Exception {
        return SampleBodies.JSON.readTree(response.getContentAsString(StandardCharsets.UTF_8));
    }

    /**
     * A call as the portal makes it, to the next gateway replica: the session cookie (a browser sends it to every port
     * of the host) works on each, and the Origin is the gateway the call goes to, as behind one public host.
     */
    private WebResponse send(HttpMethod method, String path, String body, String accept) throws Exception {
        String gateway = Gateway.next();
        WebRequest request = new WebRequest(new URL(gateway + path), method);
        request.setAdditionalHeader("Accept", accept);
        if (body != null) {
            request.setAdditionalHeader("Content-Type", "application/json");
            // as fetch() sends a string body: UTF-8 (HtmlUnit would use ISO-8859-1 and turn 花子 into ??)
            request.setCharset(StandardCharsets.UTF_8);
            request.setRequestBody(body);
        }
        if (method != HttpMethod.GET) {
            request.setAdditionalHeader("X-XSRF-TOKEN", xsrfToken());
            request.setAdditionalHeader("Origin", gateway);
        }
        return browser.loadWebResponse(request);
    }

    @Override
    public void close() {
        browser.close();
    }
}
