package org.refusalscope.headless.bench;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;

/**
 * The fixed prompts of the benchmark: deterministic token ids below the vocabulary size, avoiding the first 16 ids
 * (pad/eos/bos and other specials). The Python baseline receives exactly these ids.
 */
public final class TokenIds {

	private TokenIds() {
	}

	public static List<int[]> batch(int batch, int seq, int vocab, int salt) {
		int range = vocab - 16;
		List<int[]> sequences = new ArrayList<>();
		for(int b = 0; b < batch; b++) {
			int[] ids = new int[seq];
			for(int t = 0; t < seq; t++) {
				long mixed = (b + 31L * salt) * 1_000_003L + t * 2_654_435_761L + 12_345L;
				ids[t] = 16 + (int) Math.floorMod(mixed ^ (mixed >>> 13), (long) range);
			}
			sequences.add(ids);
		}
		return sequences;
	}

	public static JsonArray toJson(List<int[]> sequences) {
		JsonArray array = new JsonArray();
		for(int[] ids : sequences) {
			JsonArray row = new JsonArray();
			for(int id : ids) {
				row.add(id);
			}
			array.add(row);
		}
		return array;
	}
}
