// Hamkke's few behaviours, kept out of the HTML so that the Content-Security-Policy can forbid
// inline scripts: <form data-confirm="question"> asks before submitting; <select data-autosubmit>
// submits its form when changed.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
document.addEventListener("change", function (event) {
  if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit")) {
    event.target.form.submit();
  }
});
