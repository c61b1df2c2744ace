package org.refusalscope.interaction.fm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.pipeline.PairEffect;

/** The strongest pairwise weights by absolute value, strongest first. */
final class TopPairs {

	interface PairWeight {
		double weight(int i, int j);
	}

	private TopPairs() {
	}

	static List<PairEffect> of(List<FeatureRef> pool, PairWeight weights, int count) {
		Comparator<PairEffect> byStrength = Comparator.comparingDouble(p -> Math.abs(p.weight()));
		PriorityQueue<PairEffect> heap = new PriorityQueue<>(byStrength);
		int n = pool.size();
		for(int i = 0; i < n; i++) {
			for(int j = i + 1; j < n; j++) {
				double w = weights.weight(i, j);
				if(heap.size() < count) {
					heap.add(new PairEffect(pool.get(i), pool.get(j), w));
				} else if(count > 0 && Math.abs(w) > Math.abs(heap.peek().weight())) {
					heap.poll();
					heap.add(new PairEffect(pool.get(i), pool.get(j), w));
				}
			}
		}
		List<PairEffect> out = new ArrayList<>(heap);
		out.sort(byStrength.reversed());
		return out;
	}
}
