package org.refusalscope.headless.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Ablation evaluations per second, the workload of the pruning and FM stages: each evaluation is one prompt's
 * last-position logits under a plan that zeroes some SAE latents (error term kept) of a random ReLU SAE. Three
 * ways are timed: one evaluation per forward call (no batching, nothing shared); all evaluations in one batched
 * call with the SAE at the middle layer (the backend may compute the layers below the edit once per prompt:
 * prefix caching); the same batch with the SAE at layer 0 (nothing below the edit to share). The speed-ups
 * reported are ratios of these rates.
 */
public final class AblationBench {

	private static final int CANDIDATES = 16;
	/** A timed round lasts at least this long (see secondsPerRun). */
	private static final double MIN_ROUND_S = 0.5;
	/** Above this size a CPU forward takes seconds: one prompt, 8 plans and the pruning stage only. */
	private static final long LARGE = 1_000_000_000L;

	private AblationBench() {
	}

	public static JsonObject run(LanguageModel model, BenchShape shape, int prompts, int promptLength, int single,
			int repeats, Consumer<String> log) {
		boolean large = shape.parameterCount() > LARGE;
		if(large) {
			prompts = 1;
		}
		int middle = shape.layers() / 2;
		int width = Math.min(16_384, shape.hidden() * 8);
		float[][] weights = randomSaeWeights(shape.hidden(), width);
		SparseAutoencoder saeMiddle = sae(shape, middle, width, weights);
		SparseAutoencoder saeFirst = sae(shape, 0, width, weights);
		List<int[]> sequences = TokenIds.batch(prompts, promptLength, shape.vocab(), 2);
		JsonObject result = new JsonObject();
		result.addProperty("shape", shape.name());
		result.addProperty("prompts", prompts);
		result.addProperty("prompt_len", promptLength);
		result.addProperty("sae_layer", middle);
		result.addProperty("sae_width", width);
		result.addProperty("layers", shape.layers());
		JsonArray stages = new JsonArray();
		for(String stage : large ? new String[]{"pruning"} : new String[]{"pruning", "fm"}) {
			int count = large ? CANDIDATES / 2 : CANDIDATES;
			List<InterventionPlan> plansMiddle = plans(stage, saeMiddle).subList(0, count);
			List<InterventionPlan> plansFirst = plans(stage, saeFirst).subList(0, count);
			ProcessMemory.resetPeak();
			// one at a time: a separate forward per (prompt, plan), on the first `single` evaluations
			List<int[]> oneSeq = new ArrayList<>();
			List<InterventionPlan> onePlan = new ArrayList<>();
			expand(sequences, plansMiddle, oneSeq, onePlan);
			// a large model times a few evaluations once; a small one every evaluation, as often as the batched call
			int n = large ? Math.min(single, oneSeq.size()) : oneSeq.size();
			int rounds = large ? 1 : repeats;
			model.forward(new ForwardRequest(List.of(oneSeq.get(0)), List.of(onePlan.get(0)), new int[]{-1}, true, List.of()));
			double[] oneSeconds = new double[rounds];
			for(int round = 0; round < rounds; round++) {
				oneSeconds[round] = secondsPerRun(() -> {
					for(int i = 0; i < n; i++) {
						model.forward(new ForwardRequest(List.of(oneSeq.get(i)), List.of(onePlan.get(i)), new int[]{-1}, true,
								List.of()));
					}
				});
			}
			Stats one = Stats.rates(n, oneSeconds);
			double oneRate = one.median();
			Stats batchedMiddle = batched(model, sequences, plansMiddle, large ? 1 : repeats);
			Stats batchedFirst = batched(model, sequences, plansFirst, large ? 1 : repeats);
			JsonObject row = new JsonObject();
			row.addProperty("stage", stage);
			row.addProperty("evaluations", oneSeq.size());
			one.put(row, "one_at_a_time_evals_per_s");
			row.addProperty("one_at_a_time_evaluations_timed", n);
			row.addProperty("repeats", rounds);
			batchedMiddle.put(row, "batched_prefix_evals_per_s");
			batchedFirst.put(row, "batched_edit_layer0_evals_per_s");
			row.addProperty("speedup_vs_one_at_a_time", Stats.round(batchedMiddle.median() / oneRate));
			row.addProperty("prefix_cache_speedup", Stats.round(batchedMiddle.median() / batchedFirst.median()));
			row.addProperty("peak_rss_mb", ProcessMemory.peakMb());
			stages.add(row);
			log.accept(String.format(java.util.Locale.ROOT,
					"  %s %s: one-at-a-time %.2f evals/s, batched+prefix %.2f, batched edit@0 %.2f", shape.name(), stage,
					oneRate, batchedMiddle.median(), batchedFirst.median()));
		}
		result.add("stages", stages);
		return result;
	}

	private static Stats batched(LanguageModel model, List<int[]> sequences, List<InterventionPlan> plans, int repeats) {
		List<int[]> seqs = new ArrayList<>();
		List<InterventionPlan> perSeq = new ArrayList<>();
		expand(sequences, plans, seqs, perSeq);
		ForwardRequest request = new ForwardRequest(seqs, perSeq, new int[]{-1}, true, List.of());
		// untimed warm-up, as for the one-at-a-time rate: the first batched call of a shape pays one-off costs
		// (allocator growth, engine kernels for the batched shapes) that are no part of the stage's steady rate
		model.forward(request);
		double[] seconds = new double[repeats];
		for(int r = 0; r < repeats; r++) {
			seconds[r] = secondsPerRun(() -> model.forward(request));
		}
		return Stats.rates(seqs.size(), seconds);
	}

	/**
	 * Seconds of one run of {@code work}, averaged over as many runs as fill {@link #MIN_ROUND_S}: a batched call of
	 * the default model takes about 10 ms, where one scheduler hiccup would be the whole measurement.
	 */
	private static double secondsPerRun(Runnable work) {
		long start = System.nanoTime();
		work.run();
		double first = (System.nanoTime() - start) / 1e9;
		if(first >= MIN_ROUND_S) {
			return first;
		}
		int runs = (int) Math.ceil(MIN_ROUND_S / Math.max(first, 1e-6));
		start = System.nanoTime();
		for(int i = 0; i < runs; i++) {
			work.run();
		}
		return (System.nanoTime() - start) / 1e9 / runs;
	}

	private static void expand(List<int[]> sequences, List<InterventionPlan> plans, List<int[]> seqOut,
			List<InterventionPlan> planOut) {
		for(int[] sequence : sequences) {
			for(InterventionPlan plan : plans) {
				seqOut.add(sequence);
				planOut.add(plan);
			}
		}
	}

	/** Pruning: leave-one-out sets of the 16 candidates; FM: 16 pairs of candidates. */
	static List<InterventionPlan> plans(String stage, SparseAutoencoder sae) {
		int width = sae.info().dSae();
		List<InterventionPlan> plans = new ArrayList<>();
		for(int i = 0; i < CANDIDATES; i++) {
			int[] latents;
			if(stage.equals("pruning")) {
				latents = new int[CANDIDATES - 1];
				for(int j = 0, k = 0; j < CANDIDATES; j++) {
					if(j != i) {
						latents[k++] = j * 97 % width;
					}
				}
			} else {
				latents = new int[]{i * 97 % width, ((i * 5 + 3) % CANDIDATES) * 97 % width};
			}
			plans.add(new InterventionPlan(List.of(new Edit.LatentEdit(sae, latents, LatentEditMode.ZERO, 0f,
					PositionScope.ALL))));
		}
		return plans;
	}

	private static float[][] randomSaeWeights(int dIn, int width) {
		Random random = new Random(7);
		float scale = (float) (1 / Math.sqrt(dIn));
		float[] enc = new float[dIn * width];
		for(int i = 0; i < enc.length; i++) {
			enc[i] = (float) random.nextGaussian() * scale;
		}
		float[] dec = new float[width * dIn];
		for(int r = 0; r < dIn; r++) {
			for(int c = 0; c < width; c++) {
				dec[c * dIn + r] = enc[r * width + c];
			}
		}
		return new float[][]{enc, dec};
	}

	private static SparseAutoencoder sae(BenchShape shape, int layer, int width, float[][] weights) {
		int dIn = shape.hidden();
		SaeInfo info = new SaeInfo("bench-random/layer_" + layer, "bench", layer, HookPoint.RESID_POST, dIn, width,
				SaeArchitecture.RELU, Path.of("random"), null);
		SaeWeights w = new SaeWeights(TensorView.ofFloats("W_enc", new long[]{dIn, width}, weights[0]),
				TensorView.ofFloats("W_dec", new long[]{width, dIn}, weights[1]),
				TensorView.ofFloats("b_enc", new long[]{width}, new float[width]),
				TensorView.ofFloats("b_dec", new long[]{dIn}, new float[dIn]), null, 0, true, 1f);
		return SparseAutoencoder.inMemory(info, w);
	}
}
