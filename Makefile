# The README's two commands. Oxigraph's RocksDB bindings are generated with bindgen, which needs
# libclang: install Debian's libclang-dev first when it is missing. The tests compare with pySHACL:
# install it first when it is missing.

CARGO ?= cargo

.PHONY: serve test prerequisites

serve: prerequisites
	$(CARGO) run --release -- serve

test: prerequisites
	@python3 -c 'import pyshacl' 2>/dev/null || { echo "installing pySHACL for the differential tests"; \
		python3 -m pip install --quiet --disable-pip-version-check pyshacl; }
	$(CARGO) test

prerequisites:
	@if ! ls /usr/lib/llvm-*/lib/libclang.so /usr/lib/*/libclang-[0-9]*.so.* 2>/dev/null | grep -q . && [ -z "$${LIBCLANG_PATH:-}" ]; then \
		echo "libclang is missing: installing Debian's libclang-dev"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libclang-dev; \
	fi
