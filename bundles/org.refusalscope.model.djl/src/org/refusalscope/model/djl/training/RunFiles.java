package org.refusalscope.model.djl.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint files of a run in {@code <out>/training/}: the raw weights with the Adam moments and counters (what a
 * resume continues from), the moving average, and the best average so far (what is shipped).
 */
record RunFiles(Path checkpoint, Path average, Path best) {

	static RunFiles in(Path work) {
		return new RunFiles(work.resolve("checkpoint.safetensors"), work.resolve("average.safetensors"),
				work.resolve("best.safetensors"));
	}

	/** Restores weights, moments and the average from a previous run; the counters, or a fresh start. */
	Checkpoints.State restore(LlamaWeights weights, AdamW optimizer, LlamaWeights averaged, PrintStream log)
			throws IOException {
		Checkpoints.State state = Checkpoints.State.initial();
		if(Files.exists(checkpoint)) {
			state = Checkpoints.restore(checkpoint, weights, optimizer);
			log.printf("resumed at step %d%n", state.step());
		}
		if(averaged != weights && Files.exists(average)) {
			Checkpoints.restore(average, averaged, new AdamW(AdamW.Settings.defaults(), averaged));
		}
		return state;
	}

	void save(Checkpoints.State state, LlamaWeights weights, AdamW optimizer, LlamaWeights averaged, boolean improved)
			throws IOException {
		if(improved) {
			Checkpoints.save(best, averaged, optimizer, state);
		}
		if(averaged != weights) {
			Checkpoints.save(average, averaged, optimizer, state);
		}
		Checkpoints.save(checkpoint, weights, optimizer, state);
	}
}
