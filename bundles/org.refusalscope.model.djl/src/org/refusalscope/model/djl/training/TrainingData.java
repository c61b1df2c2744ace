package org.refusalscope.model.djl.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.refusalscope.training.corpus.ChatExample;
import org.refusalscope.training.tokenizer.ChatFormat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/** Tokenizes conversations with the trained tokenizer and orders them into batches, deterministically per epoch. */
public final class TrainingData {

	private TrainingData() {
	}

	public static int[] encode(HuggingFaceTokenizer tokenizer, String text) {
		long[] ids = tokenizer.encode(text, false, false).getIds();
		int[] out = new int[ids.length];
		for(int i = 0; i < ids.length; i++) {
			out[i] = (int)ids[i];
		}
		return out;
	}

	/** Prompt as the chat template renders it, then the answer and end-of-turn; too long conversations are dropped. */
	public static List<TokenizedExample> tokenize(HuggingFaceTokenizer tokenizer, List<ChatExample> examples, int maxLength) {
		List<TokenizedExample> out = new ArrayList<>(examples.size());
		for(ChatExample example : examples) {
			int[] prompt = encode(tokenizer, ChatFormat.prompt(example.instruction()));
			int[] answer = encode(tokenizer, ChatFormat.answer(example.response()));
			if(prompt.length + answer.length > maxLength) {
				continue;
			}
			int[] ids = new int[prompt.length + answer.length];
			System.arraycopy(prompt, 0, ids, 0, prompt.length);
			System.arraycopy(answer, 0, ids, prompt.length, answer.length);
			out.add(new TokenizedExample(ids, prompt.length, example.harmful()));
		}
		return out;
	}

	/**
	 * The batches of one epoch: shuffled with seed+epoch, sorted by length within windows of 32 batches (less
	 * padding), then the batch order shuffled again. Same seed and epoch give the same batches, which makes resume exact.
	 */
	public static List<List<TokenizedExample>> epoch(List<TokenizedExample> examples, int batchSize, long seed, int epoch) {
		Random random = new Random(seed * 1_000_003L + epoch);
		List<TokenizedExample> order = new ArrayList<>(examples);
		Collections.shuffle(order, random);
		List<List<TokenizedExample>> batches = new ArrayList<>();
		int window = batchSize * 32;
		for(int start = 0; start + batchSize <= order.size(); start += window) {
			List<TokenizedExample> chunk = new ArrayList<>(order.subList(start, Math.min(order.size(), start + window)));
			chunk.sort(Comparator.comparingInt(example -> example.ids().length));
			for(int from = 0; from + batchSize <= chunk.size(); from += batchSize) {
				batches.add(List.copyOf(chunk.subList(from, from + batchSize)));
			}
		}
		Collections.shuffle(batches, random);
		return batches;
	}
}
