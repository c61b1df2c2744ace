package org.refusalscope.model.djl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.InterventionPlan;

import ai.djl.ndarray.NDManager;

/**
 * Batched generation with a KV cache: one pass over the left-padded prompts, then one token per row per step. Rows
 * that stopped keep being fed (their output is ignored) so the batch stays rectangular.
 */
final class Generator {

	private final DjlLanguageModel model;
	private final Transformer transformer;

	Generator(DjlLanguageModel model, Transformer transformer) {
		this.model = model;
		this.transformer = transformer;
	}

	List<GenerationResult> generate(GenerationRequest request) {
		List<int[]> prompts = request.prompts();
		int rows = prompts.size();
		if(rows == 0) {
			return List.of();
		}
		int[] eos = model.info().eosTokenIds();
		List<InterventionPlan> plans = new ArrayList<>();
		for(int row = 0; row < rows; row++) {
			plans.add(request.planFor(row));
		}
		EditSchedule edits = model.schedule(plans);
		Random[] random = new Random[rows];
		for(int row = 0; row < rows; row++) {
			random[row] = new Random(request.seed() + 1_000_003L * row);
		}
		List<List<Integer>> generated = new ArrayList<>();
		String[] stoppedBy = new String[rows];
		float[][] firstStep = new float[rows][];
		for(int row = 0; row < rows; row++) {
			generated.add(new ArrayList<>());
		}
		try(NDManager cacheManager = model.manager().newSubManager()) {
			Transformer.KvCache cache = new Transformer.KvCache(model.config().numLayers(), cacheManager);
			TokenBatch batch = TokenBatch.prompts(prompts, 0);
			boolean[] keyValid = batch.keyValid();
			long[] lastPosition = new long[rows];
			int[] gather = new int[rows];
			for(int row = 0; row < rows; row++) {
				lastPosition[row] = prompts.get(row).length - 1;
				gather[row] = batch.tokens() - 1;
			}
			Transformer.Sharing sharing = DjlLanguageModel.sharing(prompts, Math.min(edits.uneditedBlocks(),
					model.config().numLayers()));
			float[][] logits = step(batch, edits, sharing, gather, cache);
			for(int row = 0; row < rows; row++) {
				firstStep[row] = logits[row].clone();
			}
			int keys = batch.tokens();
			for(int stepIndex = 0; stepIndex < request.maxNewTokens(); stepIndex++) {
				long[] next = new long[rows];
				boolean running = false;
				for(int row = 0; row < rows; row++) {
					if(stoppedBy[row] != null) {
						next[row] = eos.length > 0 ? eos[0] : 0;
						continue;
					}
					int token = choose(logits[row], request.temperature(), random[row]);
					next[row] = token;
					if(contains(eos, token)) {
						stoppedBy[row] = "eos";
					} else {
						generated.get(row).add(token);
						if(generated.get(row).size() >= request.maxNewTokens()) {
							stoppedBy[row] = "max_tokens";
						} else {
							running = true;
						}
					}
				}
				if(!running) {
					break;
				}
				boolean[] valid = new boolean[rows * (keys + 1)];
				long[] positions = new long[rows];
				for(int row = 0; row < rows; row++) {
					System.arraycopy(keyValid, row * keys, valid, row * (keys + 1), keys);
					valid[row * (keys + 1) + keys] = true;
					positions[row] = ++lastPosition[row];
				}
				boolean[] isGenerated = new boolean[rows];
				Arrays.fill(isGenerated, true);
				TokenBatch stepBatch = new TokenBatch(rows, 1, keys, next, positions, valid, isGenerated);
				logits = step(stepBatch, edits, null, new int[rows], cache);
				keyValid = valid;
				keys++;
			}
		}
		List<GenerationResult> results = new ArrayList<>();
		for(int row = 0; row < rows; row++) {
			int[] tokens = generated.get(row).stream().mapToInt(Integer::intValue).toArray();
			String reason = stoppedBy[row] == null ? "max_tokens" : stoppedBy[row];
			results.add(new GenerationResult(tokens, model.decodeCompletion(tokens), reason, firstStep[row]));
		}
		return results;
	}

	private float[][] step(TokenBatch batch, EditSchedule edits, Transformer.Sharing sharing, int[] gather,
			Transformer.KvCache cache) {
		try(NDManager scope = model.manager().newSubManager()) {
			Transformer.Outputs outputs = new Transformer.Outputs(gather, 1, true, List.of());
			Transformer.Result result = transformer.run(scope, batch, edits, sharing, outputs, cache);
			float[][][] rows = DjlLanguageModel.toRows(result.logits());
			float[][] last = new float[rows.length][];
			for(int row = 0; row < rows.length; row++) {
				last[row] = rows[row][0];
			}
			return last;
		}
	}

	/** Greedy (lowest id on ties) at temperature 0, else a draw from softmax(logits / temperature). */
	static int choose(float[] logits, double temperature, Random random) {
		int best = 0;
		for(int i = 1; i < logits.length; i++) {
			if(logits[i] > logits[best]) {
				best = i;
			}
		}
		if(temperature <= 0) {
			return best;
		}
		double max = logits[best];
		double[] weights = new double[logits.length];
		double total = 0;
		for(int i = 0; i < logits.length; i++) {
			weights[i] = Math.exp((logits[i] - max) / temperature);
			total += weights[i];
		}
		double draw = random.nextDouble() * total;
		for(int i = 0; i < logits.length; i++) {
			draw -= weights[i];
			if(draw < 0) {
				return i;
			}
		}
		return best;
	}

	private static boolean contains(int[] values, int value) {
		for(int candidate : values) {
			if(candidate == value) {
				return true;
			}
		}
		return false;
	}
}
