"""Development tools that tests, bench, export and the site build share: the local server with the
production headers and the Chromium launcher."""
