# The two commands a newcomer needs: `make run` (the studio window on the demo song) and `make test`.
# `make demo` builds the demo song from the command line instead (out/demo/: credits, history, MIDI, WAV).
# Each sets everything up first (tools/bootstrap.sh), in a virtual environment in .venv.

.PHONY: run demo test bench setup clean

setup:
	@tools/bootstrap.sh

run: setup
	@.venv/bin/python -m cowrite studio --demo

demo: setup
	@.venv/bin/python -m cowrite demo out/demo

test:
	@tools/bootstrap.sh --test
	@COWRITE_REAL_DESKTOP=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest

bench: setup
	@.venv/bin/python benchmarks/spine.py
	@.venv/bin/python benchmarks/audio.py
	@.venv/bin/python benchmarks/eval_assistants.py

clean:
	rm -rf .venv out .pytest_cache
