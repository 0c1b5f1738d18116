# Entry points: `make run` (default scenario), `make test` (every test) and `make bench`
# (bench/run_bench; BENCH_THREADS="1 2 4" sets the thread counts of its scaling runs). Each
# installs missing Debian packages first (as root) and builds Release in $(BUILD).
BUILD ?= build
JOBS ?= $(shell nproc)
MARKETSIM = $(BUILD)/sim/marketsim

.PHONY: all deps build run test bench docs format clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(MARKETSIM) run scenarios/default.toml -o results/default.h5
	$(MARKETSIM) plot results/default.h5 -o results/default_plots

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: build
	bench/run_bench $(MARKETSIM) $(if $(BENCH_THREADS),--threads $(BENCH_THREADS))

docs: build
	scripts/update-docs $(MARKETSIM)

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
