package org.refusalscope.headless.bench;

import java.util.List;

/**
 * What a suite measures. {@code quick} stays within about 15 minutes on a small machine (no 8B shape, batch at
 * most 8); {@code full} adds the Llama-3.1-8B shape, batch 32 and larger matmuls; {@code smoke} runs every code
 * path on a tiny random checkpoint, for tests of the command.
 */
public record BenchPlan(String suite, List<String> shapes, int[] batches, int[] seqs, int repeats, int[] genBatches,
		int genPromptLength, int newTokens, int[] gemmSizes, int gemmRepeats, int saeDModel, int[] saeWidths,
		int saeBatch, int ablationPrompts, int ablationPromptLength, int ablationSingle, String baselineShape,
		int baselineBatch, int baselineSeq, boolean dissect, double rowBudgetS) {

	public static final List<String> SUITES = List.of("quick", "full", "smoke");

	public static BenchPlan of(String suite) {
		return switch(suite) {
			case "quick" -> new BenchPlan(suite, List.of("default", "gemma2-2b"), new int[]{1, 8}, new int[]{32, 128}, 3,
					new int[]{1}, 32, 16, new int[]{2048}, 5, 2304, new int[]{16_384, 65_536}, 256, 2, 32, 4, "gemma2-2b",
					8, 128, true, 60);
			case "full" -> new BenchPlan(suite, List.of("default", "gemma2-2b", "llama3-8b"), new int[]{1, 8, 32},
					new int[]{32, 128}, 5, new int[]{1, 8}, 32, 32, new int[]{1024, 2048, 4096}, 10, 2304,
					new int[]{16_384, 65_536}, 256, 4, 32, 8, "gemma2-2b", 8, 128, true, 600);
			case "smoke" -> new BenchPlan(suite, List.of("tiny"), new int[]{1, 2}, new int[]{8}, 2, new int[]{1}, 8, 4,
					new int[]{64}, 2, 64, new int[]{256}, 8, 2, 8, 2, "tiny", 2, 8, false, 10);
			default -> throw new IllegalArgumentException("--suite must be quick or full, got '" + suite + "'");
		};
	}

	/**
	 * Batches of a shape: the 8B shape runs batch 1 and 8 only (batch 8 is the 24 GiB memory check; batch 32 of
	 * 128 tokens would take tens of minutes per forward on a CPU).
	 */
	public int[] batchesFor(String shape) {
		if(shape.equals("llama3-8b")) {
			return java.util.Arrays.stream(batches).filter(b -> b <= 8).toArray();
		}
		return batches;
	}

	/** The ablation workload runs on the default model and the Gemma-2-2B shape (and the smoke shape). */
	public boolean ablationFor(String shape) {
		return !shape.equals("llama3-8b");
	}
}
