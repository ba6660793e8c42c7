// Render the OpenAPI document with the bundled Swagger UI (no inline script: the page's CSP forbids it).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: element.getAttribute("data-spec-url"),
    domNode: element,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
})();
