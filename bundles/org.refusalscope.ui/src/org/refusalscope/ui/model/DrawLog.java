package org.refusalscope.ui.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which charts have painted the current data. Every change of the open run or selection starts a new generation;
 * a chart reports when it has painted after that. The screenshot mode waits for all of them instead of sleeping.
 */
public class DrawLog {

	private final Map<String, Integer> drawnGeneration = new LinkedHashMap<>();
	private int generation;

	void newGeneration() {
		generation++;
	}

	/** A chart announces itself (not drawn yet). */
	public void register(String chart) {
		drawnGeneration.putIfAbsent(chart, -1);
	}

	public void unregister(String chart) {
		drawnGeneration.remove(chart);
	}

	/** Called from a chart's paint code. */
	public void drawn(String chart) {
		drawnGeneration.put(chart, generation);
	}

	/** True when at least one chart is registered and all have painted the current data. */
	public boolean allDrawn() {
		return !drawnGeneration.isEmpty() && drawnGeneration.values().stream().allMatch(g -> g == generation);
	}

	/** The charts that have not painted the current data yet (for the error message of a timed-out screenshot). */
	public java.util.List<String> pending() {
		return drawnGeneration.entrySet().stream().filter(e -> e.getValue() != generation).map(Map.Entry::getKey).toList();
	}
}
