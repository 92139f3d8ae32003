// Swagger UI on the service's own document. "Authorize" takes an API key (the Bearer scheme), which
// "Try it out" then sends in the Authorization header; it is kept in this page's memory only, never
// stored, as a key in localStorage would outlive the visit.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
  // The page must not call out: no validator badge (it asks validator.swagger.io about the document).
  validatorUrl: null,
  // PNG answers are shown as images, NDJSON and JSON as text.
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
