// Starts Swagger UI on the API docs page; a file, so the page needs no inline script.
const container = document.getElementById('swagger-ui');
window.ui = window.SwaggerUIBundle({ url: container.dataset.specUrl, domNode: container });
