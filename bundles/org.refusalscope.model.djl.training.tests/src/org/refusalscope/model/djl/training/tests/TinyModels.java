package org.refusalscope.model.djl.training.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.refusalscope.model.djl.Djl;
import org.refusalscope.model.djl.training.LlamaConfig;
import org.refusalscope.model.djl.training.TokenizedExample;

import ai.djl.ndarray.NDManager;

/** Shared fixtures: a tiny GQA Llama shape and a planted mapping task (answer token = f(prompt token)). */
final class TinyModels {

	static final int VOCAB = 24;

	private TinyModels() {
	}

	/** 4 query heads sharing 2 key/value heads (GQA), head size 8. */
	static LlamaConfig config(int vocab) {
		return new LlamaConfig(vocab, 32, 2, 4, 2, 64, 64, 10000.0, 1e-5, 1, 4, 0);
	}

	static NDManager manager() {
		return Djl.newManager();
	}

	/** Prompt [bos, a, start_of_turn], answer [f(a), end_of_turn] with f a fixed permutation of 5..20. */
	static List<TokenizedExample> mappingTask(int count, long seed) {
		Random random = new Random(seed);
		List<TokenizedExample> examples = new ArrayList<>();
		for(int i = 0; i < count; i++) {
			int a = 5 + random.nextInt(16);
			int b = 5 + (a * 7) % 16;
			examples.add(new TokenizedExample(new int[]{1, a, 3, b, 4}, 3, false));
		}
		return examples;
	}
}
