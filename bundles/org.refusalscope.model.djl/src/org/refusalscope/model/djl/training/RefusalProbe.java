package org.refusalscope.model.djl.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The trainer's own measurements with its training forward: next-token logits at the end of chat prompts (the
 * first-token refusal check used for early stopping) and batched greedy generation (left padding, full recompute per
 * token: slow but simple, for evaluation only).
 */
public final class RefusalProbe {

	private RefusalProbe() {
	}

	/** Argmax of the next-token logits after each prompt. */
	public static int[] firstTokens(LlamaWeights weights, List<int[]> prompts, int batchSize, NDManager parent) {
		int[] out = new int[prompts.size()];
		for(int from = 0; from < prompts.size(); from += batchSize) {
			List<int[]> slice = prompts.subList(from, Math.min(prompts.size(), from + batchSize));
			try(NDManager manager = parent.newSubManager()) {
				NDArray last = lastLogits(weights, slice, manager, null);
				long[] argmax = last.argMax(-1).toLongArray();
				for(int i = 0; i < argmax.length; i++) {
					out[from + i] = (int)argmax[i];
				}
			}
		}
		return out;
	}

	/** Logits [B, V] at each prompt's last token, prompts left-padded. */
	public static NDArray lastLogits(LlamaWeights weights, List<int[]> prompts, NDManager manager, NDArray ablate) {
		LeftPadded padded = LeftPadded.of(prompts, weights.config().padTokenId(), manager);
		NDArray logits = LlamaForward.logits(weights, padded.ids, padded.positions, padded.keyMask, ablate, null);
		long length = logits.getShape().get(1);
		return logits.get(":, {}, :", length - 1);
	}

	/** Greedy continuation of each prompt, at most maxNew tokens, stopping a row at any of the stop ids. */
	public static List<int[]> greedy(LlamaWeights weights, List<int[]> prompts, int maxNew, Set<Integer> stopIds, NDArray ablate, NDManager parent) {
		List<int[]> sequences = new ArrayList<>(prompts);
		List<List<Integer>> generated = new ArrayList<>();
		boolean[] done = new boolean[prompts.size()];
		for(int i = 0; i < prompts.size(); i++) {
			generated.add(new ArrayList<>());
		}
		for(int step = 0; step < maxNew; step++) {
			int[] next;
			try(NDManager manager = parent.newSubManager()) {
				NDArray direction = ablate == null ? null : manager.create(ablate.toFloatArray());
				long[] argmax = lastLogits(weights, sequences, manager, direction).argMax(-1).toLongArray();
				next = new int[argmax.length];
				for(int i = 0; i < argmax.length; i++) {
					next[i] = (int)argmax[i];
				}
			}
			boolean allDone = true;
			for(int i = 0; i < sequences.size(); i++) {
				if(done[i]) {
					continue;
				}
				if(stopIds.contains(next[i])) {
					done[i] = true;
					continue;
				}
				generated.get(i).add(next[i]);
				int[] longer = java.util.Arrays.copyOf(sequences.get(i), sequences.get(i).length + 1);
				longer[longer.length - 1] = next[i];
				sequences.set(i, longer);
				allDone = false;
			}
			if(allDone) {
				break;
			}
		}
		List<int[]> out = new ArrayList<>();
		for(List<Integer> tokens : generated) {
			out.add(tokens.stream().mapToInt(Integer::intValue).toArray());
		}
		return out;
	}

	private record LeftPadded(NDArray ids, NDArray positions, NDArray keyMask) {

		static LeftPadded of(List<int[]> prompts, int padId, NDManager manager) {
			int length = 0;
			for(int[] prompt : prompts) {
				length = Math.max(length, prompt.length);
			}
			int batch = prompts.size();
			long[] ids = new long[batch * length];
			long[] positions = new long[batch * length];
			float[] mask = new float[batch * length];
			for(int b = 0; b < batch; b++) {
				int[] prompt = prompts.get(b);
				int offset = length - prompt.length;
				for(int t = 0; t < length; t++) {
					boolean real = t >= offset;
					ids[b * length + t] = real ? prompt[t - offset] : padId;
					positions[b * length + t] = real ? t - offset : 0;
					mask[b * length + t] = real ? 1f : 0f;
				}
			}
			Shape shape = new Shape(batch, length);
			return new LeftPadded(manager.create(ids, shape), manager.create(positions, shape), manager.create(mask, shape));
		}
	}
}
