package org.refusalscope.sae;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.LanguageModel;

/**
 * Prompts tokenised as the model sees them (chat template with generation prompt, or raw text with BOS) and grouped
 * into batches of equal length, so a forward can ask for every position (positions are relative to the end of
 * each sequence, and left padding would otherwise shift them).
 */
public final class PromptTokens {

	/** One batch: prompt indices and their token ids, all of the same length. */
	public record Batch(int[] promptIndices, List<int[]> ids) {

		public int length() {
			return ids.get(0).length;
		}

		/** Positions -n .. -1: every token. */
		public int[] allPositions() {
			return IntStream.range(0, length()).map(p -> p - length()).toArray();
		}
	}

	private PromptTokens() {
	}

	public static List<int[]> encode(LanguageModel model, List<String> prompts, boolean chat) {
		List<int[]> out = new ArrayList<>();
		for(String prompt : prompts) {
			out.add(chat ? model.encodeChat(List.of(ChatMessage.user(prompt))) : model.tokenize(prompt, true));
		}
		return out;
	}

	public static List<Batch> batches(List<int[]> ids, int maxBatch) {
		List<Integer> order = new ArrayList<>(IntStream.range(0, ids.size()).boxed().toList());
		order.sort(Comparator.comparingInt((Integer i) -> ids.get(i).length).thenComparingInt(i -> i));
		List<Batch> batches = new ArrayList<>();
		int start = 0;
		while(start < order.size()) {
			int length = ids.get(order.get(start)).length;
			int end = start;
			while(end < order.size() && end - start < maxBatch && ids.get(order.get(end)).length == length) {
				end++;
			}
			int[] indices = order.subList(start, end).stream().mapToInt(Integer::intValue).toArray();
			batches.add(new Batch(indices, IntStream.of(indices).mapToObj(ids::get).toList()));
			start = end;
		}
		return batches;
	}

	/** First position that carries text: 1 when the sequence starts with BOS (its residual is an outlier), else 0. */
	public static int firstContentPosition(int[] ids, int bosTokenId) {
		return ids.length > 1 && bosTokenId >= 0 && ids[0] == bosTokenId ? 1 : 0;
	}
}
