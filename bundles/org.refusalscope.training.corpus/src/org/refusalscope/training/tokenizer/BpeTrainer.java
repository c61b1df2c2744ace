package org.refusalscope.training.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a byte-level BPE vocabulary: start from the 256 byte characters, repeatedly merge the most frequent adjacent
 * pair (ties broken by the lexicographically smallest pair, so the result is deterministic). Pair counts are kept
 * incrementally: only the words holding the merged pair are recounted.
 */
public final class BpeTrainer {

	/** The trained tokenizer: special tokens first, then the 256 bytes, then one token per merge. */
	public record Vocabulary(List<String> specialTokens, Map<String, Integer> vocab, List<String[]> merges) {
	}

	private BpeTrainer() {
	}

	public static Vocabulary train(Iterable<String> texts, int vocabSize, List<String> specialTokens, int minFrequency) {
		Map<String, Integer> wordCounts = new HashMap<>();
		for(String text : texts) {
			for(String piece : ByteLevel.pieces(text)) {
				wordCounts.merge(piece, 1, Integer::sum);
			}
		}
		List<String> words = new ArrayList<>(wordCounts.keySet());
		words.sort(null);
		List<List<String>> symbols = new ArrayList<>(words.size());
		int[] counts = new int[words.size()];
		for(int w = 0; w < words.size(); w++) {
			String word = words.get(w);
			List<String> chars = new ArrayList<>(word.length());
			for(int i = 0; i < word.length(); i++) {
				chars.add(String.valueOf(word.charAt(i)));
			}
			symbols.add(chars);
			counts[w] = wordCounts.get(word);
		}
		Map<String, Integer> vocab = new LinkedHashMap<>();
		for(String special : specialTokens) {
			vocab.put(special, vocab.size());
		}
		for(int b = 0; b < 256; b++) {
			vocab.put(String.valueOf(ByteLevel.charOf(b)), vocab.size());
		}
		Map<Pair, Long> pairCounts = new HashMap<>();
		Map<Pair, java.util.Set<Integer>> wordsOfPair = new HashMap<>();
		for(int w = 0; w < symbols.size(); w++) {
			addPairs(symbols.get(w), counts[w], w, pairCounts, wordsOfPair, 1);
		}
		List<String[]> merges = new ArrayList<>();
		while(vocab.size() < vocabSize) {
			Pair best = null;
			long bestCount = 0;
			for(Map.Entry<Pair, Long> entry : pairCounts.entrySet()) {
				long count = entry.getValue();
				if(count > bestCount || (count == bestCount && count > 0 && entry.getKey().compareTo(best) < 0)) {
					best = entry.getKey();
					bestCount = count;
				}
			}
			if(best == null || bestCount < minFrequency) {
				break;
			}
			String merged = best.left + best.right;
			merges.add(new String[]{best.left, best.right});
			vocab.putIfAbsent(merged, vocab.size());
			for(int w : new ArrayList<>(wordsOfPair.getOrDefault(best, java.util.Set.of()))) {
				List<String> word = symbols.get(w);
				addPairs(word, counts[w], w, pairCounts, wordsOfPair, -1);
				List<String> replaced = new ArrayList<>(word.size());
				for(int i = 0; i < word.size(); i++) {
					if(i + 1 < word.size() && word.get(i).equals(best.left) && word.get(i + 1).equals(best.right)) {
						replaced.add(merged);
						i++;
					} else {
						replaced.add(word.get(i));
					}
				}
				symbols.set(w, replaced);
				addPairs(replaced, counts[w], w, pairCounts, wordsOfPair, 1);
			}
			pairCounts.remove(best);
			wordsOfPair.remove(best);
		}
		return new Vocabulary(List.copyOf(specialTokens), vocab, merges);
	}

	private static void addPairs(List<String> word, int count, int wordIndex, Map<Pair, Long> pairCounts, Map<Pair, java.util.Set<Integer>> wordsOfPair, int sign) {
		for(int i = 0; i + 1 < word.size(); i++) {
			Pair pair = new Pair(word.get(i), word.get(i + 1));
			long updated = pairCounts.getOrDefault(pair, 0L) + (long)sign * count;
			if(updated <= 0) {
				pairCounts.remove(pair);
			} else {
				pairCounts.put(pair, updated);
			}
			if(sign > 0) {
				wordsOfPair.computeIfAbsent(pair, key -> new java.util.HashSet<>()).add(wordIndex);
			}
		}
	}

	private record Pair(String left, String right) implements Comparable<Pair> {

		@Override
		public int compareTo(Pair other) {
			int byLeft = left.compareTo(other.left);
			return byLeft != 0 ? byLeft : right.compareTo(other.right);
		}
	}
}
