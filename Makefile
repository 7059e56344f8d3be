# exhv: thin wrapper over Meson. `make run` and `make check` work on a fresh
# Debian 12 machine: scripts/bootstrap.sh installs what is missing.
.PHONY: all run check bench fuzz windows clean

all:
	@scripts/bootstrap.sh
	@[ -f build/native/build.ninja ] || meson setup build/native >/dev/null
	@ninja -C build/native

# No Hyper-V here: show the built-in simulated host. On Windows, the same
# commands of exhv.exe talk to the local host.
run: all
	@for cmd in status devices gpus vms; do \
	    echo "\$$ exhv --connect test:///default $$cmd"; \
	    build/native/exhv --connect test:///default $$cmd; \
	    echo; \
	done

check:
	@scripts/check.sh

# Every fuzz target for EXHV_FUZZ_SECONDS each (default 600), one after the
# other: executions, coverage and crashes. Not part of make check.
fuzz: all
	@nice scripts/fuzz.sh "$${EXHV_FUZZ_SECONDS:-600}"

bench: all
	@bench/run.sh

# The Windows executables: build/win/exhv.exe
windows:
	@scripts/bootstrap.sh
	@[ -f build/win/build.ninja ] || meson setup build/win --cross-file scripts/mingw-w64.ini >/dev/null
	@ninja -C build/win

clean:
	rm -rf build
