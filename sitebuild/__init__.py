"""The static site's build: the vendored runtime, the trimmed standard library, the service worker's
precache list, icons and screenshots."""
