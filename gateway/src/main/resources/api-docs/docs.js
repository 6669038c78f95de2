// Renders /api/v1/openapi.json with Swagger UI. Kept out of index.html: the page's CSP allows no inline script.
window.addEventListener('load', function () {
  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }
  window.ui = SwaggerUIBundle({
    url: '../openapi.json',
    dom_id: '#api-docs',
    deepLinking: true,
    // "Try it out" with the browser session: the session cookies go along (same origin), and a state-changing call
    // carries the XSRF-TOKEN cookie's value in X-XSRF-TOKEN, as the gateway requires.
    requestInterceptor: function (request) {
      var method = (request.method || 'GET').toUpperCase();
      var xsrf = cookie('XSRF-TOKEN');
      if (xsrf && ['POST', 'PUT', 'PATCH', 'DELETE'].indexOf(method) >= 0) {
        request.headers['X-XSRF-TOKEN'] = xsrf;
      }
      return request;
    }
  });
});
