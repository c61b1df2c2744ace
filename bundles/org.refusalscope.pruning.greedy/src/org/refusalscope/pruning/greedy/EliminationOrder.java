package org.refusalscope.pruning.greedy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.refusalscope.api.FeatureRef;

/**
 * The order in which elements are tried for removal. Candidates arrive best first (highest cosine or score), so
 * {@code ascending} tries the weakest first, as method.md section 8.1 recommends.
 */
final class EliminationOrder {

	static final String ASCENDING = "ascending";
	static final String GIVEN = "given";
	static final String RANDOM = "random";

	private EliminationOrder() {
	}

	static List<FeatureRef> apply(List<FeatureRef> bestFirst, String order, long seed) {
		List<FeatureRef> out = new ArrayList<>(bestFirst);
		if(out.size() != out.stream().distinct().count()) {
			throw new IllegalArgumentException("the candidate list holds duplicates: " + bestFirst);
		}
		String name = order == null ? ASCENDING : order;
		switch(name) {
			case ASCENDING -> Collections.reverse(out);
			case GIVEN -> {
				// keep
			}
			case RANDOM -> Collections.shuffle(out, new Random(seed));
			default -> throw new IllegalArgumentException("unknown elimination order '" + order + "' (ascending, "
					+ "given, random)");
		}
		return out;
	}
}
