package org.refusalscope.pruning.greedy.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.EvaluationRecord;
import org.refusalscope.api.pipeline.PruningResult;
import org.refusalscope.api.pipeline.PruningStrategy;
import org.refusalscope.pruning.greedy.BackwardElimination;
import org.refusalscope.pruning.greedy.ChunkedElimination;

class PruningStrategiesTest {

	private static List<FeatureRef> candidates(int n) {
		List<FeatureRef> out = new ArrayList<>();
		for(int i = 0; i < n; i++) {
			out.add(new FeatureRef(i % 5, 100 + i));
		}
		return out;
	}

	private static PruningResult run(String strategy, List<FeatureRef> candidates, BooleanOracle oracle, int batch,
			String order) {
		if(strategy.equals("backward")) {
			BackwardElimination s = new BackwardElimination();
			return s.prune(candidates, oracle, new BackwardElimination.Settings(order, 7L, batch, 0), ProgressMonitor.NULL);
		}
		ChunkedElimination s = new ChunkedElimination();
		return s.prune(candidates, oracle, new ChunkedElimination.Settings(order, 7L, batch, 0), ProgressMonitor.NULL);
	}

	/** Brute-force certificate: the set flips and removing any single member does not. */
	private static void assertOneMinimal(PruningResult result, BooleanOracle oracle) {
		assertTrue(result.flipped());
		Set<FeatureRef> set = new HashSet<>(result.minimalSet());
		assertTrue(oracle.flips(set), "the minimal set must flip: " + set);
		for(FeatureRef member : set) {
			Set<FeatureRef> smaller = new HashSet<>(set);
			smaller.remove(member);
			assertFalse(oracle.flips(smaller), "removing " + member + " from " + set + " must un-flip");
		}
	}

	private static void assertTraceComplete(PruningResult result, BooleanOracle oracle) {
		assertEquals(oracle.evaluations, result.trace().size(), "every evaluation is recorded");
		for(EvaluationRecord record : result.trace()) {
			assertEquals(!oracle.flips(record.set()), record.refused(), "recorded verdict of " + record.step());
			if(record.accepted()) {
				assertFalse(record.refused(), "only flipping sets are accepted");
			}
		}
		EvaluationRecord last = null;
		for(EvaluationRecord record : result.trace()) {
			if(record.accepted()) {
				if(last != null) {
					assertTrue(last.set().containsAll(record.set()), "accepted sets shrink");
				}
				last = record;
			}
		}
		assertEquals(new HashSet<>(result.minimalSet()), new HashSet<>(last.set()), "the last accepted set is the result");
	}

	@Test
	void andOfThreeIsFoundExactly() {
		List<FeatureRef> c = candidates(30);
		Set<FeatureRef> planted = Set.of(c.get(3), c.get(17), c.get(29));
		for(String strategy : List.of("backward", "ddmin")) {
			BooleanOracle oracle = new BooleanOracle(set -> set.containsAll(planted));
			PruningResult result = run(strategy, c, oracle, 8, "ascending");
			assertEquals(planted, new HashSet<>(result.minimalSet()), strategy);
			assertOneMinimal(result, oracle);
			assertTraceComplete(result, oracle);
		}
	}

	@Test
	void orKeepsExactlyOneOfTheAlternatives() {
		List<FeatureRef> c = candidates(20);
		for(String strategy : List.of("backward", "ddmin")) {
			BooleanOracle oracle = new BooleanOracle(set -> set.contains(c.get(2)) || set.contains(c.get(11)));
			PruningResult result = run(strategy, c, oracle, 4, "ascending");
			assertEquals(1, result.minimalSet().size(), strategy);
			assertTrue(Set.of(c.get(2), c.get(11)).contains(result.minimalSet().get(0)));
			assertOneMinimal(result, oracle);
		}
	}

	@Test
	void thresholdKeepsExactlyKOfTheRelevantSet() {
		List<FeatureRef> c = candidates(25);
		Set<FeatureRef> relevant = Set.of(c.get(0), c.get(4), c.get(8), c.get(12), c.get(16), c.get(20));
		Predicate<Set<FeatureRef>> atLeastThree = set -> set.stream().filter(relevant::contains).count() >= 3;
		for(String strategy : List.of("backward", "ddmin")) {
			BooleanOracle oracle = new BooleanOracle(atLeastThree);
			PruningResult result = run(strategy, c, oracle, 8, "random");
			assertEquals(3, result.minimalSet().size(), strategy);
			assertTrue(relevant.containsAll(result.minimalSet()));
			assertOneMinimal(result, oracle);
		}
	}

	@Test
	void ascendingOrderDropsTheWeakestFirst() {
		// OR of the strongest (index 0) and the weakest (last): dropping weakest first keeps the strongest
		List<FeatureRef> c = candidates(10);
		BooleanOracle oracle = new BooleanOracle(set -> set.contains(c.get(0)) || set.contains(c.get(9)));
		assertEquals(List.of(c.get(0)), run("backward", c, oracle, 1, "ascending").minimalSet());
		BooleanOracle again = new BooleanOracle(set -> set.contains(c.get(0)) || set.contains(c.get(9)));
		assertEquals(List.of(c.get(9)), run("backward", c, again, 1, "given").minimalSet());
	}

	@Test
	void hydraLikeNonMonotoneFunctionStillGivesOneMinimalSets() {
		// a is needed; ablating h wakes a backup that refuses unless b is ablated too; x alone is an alternative
		List<FeatureRef> c = candidates(16);
		FeatureRef a = c.get(1), h = c.get(5), b = c.get(9), x = c.get(13);
		Predicate<Set<FeatureRef>> hydra = set -> (set.contains(a) && !(set.contains(h) && !set.contains(b)))
				|| (set.contains(x) && set.contains(h) && set.contains(b));
		for(String order : List.of("ascending", "given", "random")) {
			for(String strategy : List.of("backward", "ddmin")) {
				BooleanOracle oracle = new BooleanOracle(hydra);
				PruningResult result = run(strategy, c, oracle, 3, order);
				assertOneMinimal(result, oracle);
				assertTraceComplete(result, oracle);
			}
		}
	}

	@Test
	void randomMonotoneAndNonMonotoneFunctionsGiveOneMinimalSets() {
		Random random = new Random(2024);
		for(int trial = 0; trial < 60; trial++) {
			int n = 6 + random.nextInt(10);
			List<FeatureRef> c = candidates(n);
			Predicate<Set<FeatureRef>> function;
			if(trial % 2 == 0) {
				// monotone DNF: a union of random terms
				List<Set<FeatureRef>> terms = new ArrayList<>();
				for(int t = 0; t < 1 + random.nextInt(3); t++) {
					Set<FeatureRef> term = new HashSet<>();
					for(int k = 0; k < 1 + random.nextInt(4); k++) {
						term.add(c.get(random.nextInt(n)));
					}
					terms.add(term);
				}
				function = set -> terms.stream().anyMatch(set::containsAll);
			} else {
				// an arbitrary truth table (memoised), forced to flip on the full set
				Map<Set<FeatureRef>, Boolean> table = new HashMap<>();
				long salt = random.nextLong();
				Set<FeatureRef> full = new HashSet<>(c);
				function = set -> set.equals(full)
						|| table.computeIfAbsent(Set.copyOf(set), s -> new Random(s.hashCode() ^ salt).nextInt(3) == 0);
			}
			for(String strategy : List.of("backward", "ddmin")) {
				BooleanOracle sequential = new BooleanOracle(function);
				PruningResult one = run(strategy, c, sequential, 1, "ascending");
				assertOneMinimal(one, sequential);
				assertTraceComplete(one, sequential);
				BooleanOracle batched = new BooleanOracle(function);
				PruningResult many = run(strategy, c, batched, 5, "ascending");
				// speculative batching never changes the result, only the number of calls
				assertEquals(one.minimalSet(), many.minimalSet(), strategy + " trial " + trial);
				assertTrue(batched.calls <= sequential.calls);
			}
			// brute force for the monotone case: the result is a minimal true set (no proper subset flips)
			if(trial % 2 == 0) {
				BooleanOracle oracle = new BooleanOracle(function);
				List<FeatureRef> set = run("backward", c, oracle, 4, "ascending").minimalSet();
				for(int mask = 0; mask < (1 << set.size()) - 1; mask++) {
					Set<FeatureRef> subset = new HashSet<>();
					for(int i = 0; i < set.size(); i++) {
						if((mask & (1 << i)) != 0) {
							subset.add(set.get(i));
						}
					}
					assertFalse(oracle.flips(subset), "proper subset " + subset + " of " + set + " flips");
				}
			}
		}
	}

	@Test
	void noFlipReportsAnEmptySetAfterOneEvaluation() {
		for(String strategy : List.of("backward", "ddmin")) {
			BooleanOracle oracle = new BooleanOracle(set -> false);
			PruningResult result = run(strategy, candidates(12), oracle, 8, "ascending");
			assertFalse(result.flipped());
			assertTrue(result.minimalSet().isEmpty());
			assertEquals(1, result.trace().size());
			assertEquals(1, oracle.evaluations);
		}
	}

	@Test
	void backwardCostsOnePlusNPlusCertificationOnMonotoneInput() {
		List<FeatureRef> c = candidates(40);
		Set<FeatureRef> planted = Set.of(c.get(7), c.get(30));
		BooleanOracle oracle = new BooleanOracle(set -> set.containsAll(planted));
		PruningResult result = run("backward", c, oracle, 8, "ascending");
		assertEquals(planted, new HashSet<>(result.minimalSet()));
		// one full evaluation, one pass over 40 (plus speculative leftovers after each removal), a re-test of 2
		assertTrue(oracle.evaluations >= 1 + 40 + 2, "evaluations " + oracle.evaluations);
		assertTrue(oracle.largestBatch <= 8);
	}

	@Test
	void chunkedEliminationNeedsFewerEvaluationsWhenMostArePassengers() {
		List<FeatureRef> c = candidates(64);
		Set<FeatureRef> planted = Set.of(c.get(10), c.get(50));
		BooleanOracle backward = new BooleanOracle(set -> set.containsAll(planted));
		run("backward", c, backward, 1, "ascending");
		BooleanOracle ddmin = new BooleanOracle(set -> set.containsAll(planted));
		PruningResult result = run("ddmin", c, ddmin, 1, "ascending");
		assertEquals(planted, new HashSet<>(result.minimalSet()));
		assertTrue(ddmin.evaluations < backward.evaluations, ddmin.evaluations + " vs " + backward.evaluations);
	}

	@Test
	void strategiesDescribeThemselves() {
		List<PruningStrategy<?>> strategies = List.of(new BackwardElimination(), new ChunkedElimination());
		assertEquals(List.of("backward", "ddmin"), strategies.stream().map(PruningStrategy::id).toList());
		for(PruningStrategy<?> s : strategies) {
			assertTrue(s.defaultSettings() != null && !s.description().isBlank());
		}
	}
}
