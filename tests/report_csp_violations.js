// Init script for test pages: a resource the CSP blocks is reported on the console with its directive.
document.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`),
);
