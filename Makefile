# The README's two commands. Oxigraph's RocksDB bindings are generated with bindgen, which needs
# libclang: install Debian's libclang-dev first when it is missing.

CARGO ?= cargo

.PHONY: serve test prerequisites

serve: prerequisites
	$(CARGO) run --release -- serve

test: prerequisites
	$(CARGO) test

prerequisites:
	@if ! ls /usr/lib/llvm-*/lib/libclang.so /usr/lib/*/libclang-[0-9]*.so.* 2>/dev/null | grep -q . && [ -z "$${LIBCLANG_PATH:-}" ]; then \
		echo "libclang is missing: installing Debian's libclang-dev"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libclang-dev; \
	fi
