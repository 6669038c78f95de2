package com.acme.incentives.gateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.SilentCssErrorHandler;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;

import java.net.URL;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser (HtmlUnit, no JavaScript) against the gateway on {@link #GATEWAY}: the port Keycloak's {@code gateway}
 * client accepts as redirect URI, so the tests using it run with {@link OnRegisteredRedirectPort}.
 */
public final class Browsers {

    public static final String GATEWAY = "http://localhost:8090";

    private Browsers() {
    }

    /** The gateway on {@link #GATEWAY}'s port, with tokens that are refreshed on any call after their first 10 s. */
    public static class OnRegisteredRedirectPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Keycloak's access tokens live 300 s: with a 290 s skew, a session older than 10 s gets fresh tokens on
            // its next call, which lets a test watch the refresh happen without waiting five minutes.
            return Map.of("quarkus.http.test-port", "8090",
                    "quarkus.oidc.token.refresh-token-time-skew", "290S");
        }
    }

    public static WebClient newBrowser() {
        WebClient browser = new WebClient();
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.getOptions().setRedirectEnabled(true);
        browser.setCssErrorHandler(new SilentCssErrorHandler());
        return browser;
    }

    /** Signs in through Keycloak's real login form; answers the page the browser ends on (the gateway's {@code /}). */
    public static Page signIn(WebClient browser, String username, String password) throws Exception {
        return submitLogin(browser.getPage(GATEWAY + "/login"), username, password);
    }

    public static Page submitLogin(HtmlPage loginPage, String username, String password) throws Exception {
        HtmlElement form = (HtmlElement) loginPage.getElementById("kc-form-login");
        assertThat(form).as("Keycloak login form").isNotNull();
        ((HtmlInput) loginPage.getElementByName("username")).type(username);
        ((HtmlInput) loginPage.getElementByName("password")).type(password);
        return ((HtmlElement) loginPage.getElementById("kc-login")).click();
    }

    public static WebResponse call(WebClient browser, HttpMethod method, String path, String body,
            Map<String, String> headers) throws Exception {
        WebRequest request = new WebRequest(new URL(GATEWAY + path), method);
        headers.forEach(request::setAdditionalHeader);
        if (body != null) {
            request.setRequestBody(body);
        }
        return browser.loadWebResponse(request);
    }
}
