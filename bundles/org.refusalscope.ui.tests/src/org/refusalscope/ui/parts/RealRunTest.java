package org.refusalscope.ui.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;

import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.ui.charts.LayerHistogramPart;
import org.refusalscope.ui.charts.PruningCurvePart;
import org.refusalscope.ui.testing.PartHarness;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The workbench on a run folder produced by a real run: {@code ./refusalscope dissect} on the shipped default model
 * (testData/default-run, results.json and config.json as written on 2026-11-29). Expected values are read from the
 * file with a plain JSON parser, independently of the records the workbench uses.
 */
class RealRunTest {

	@TempDir
	Path dir;
	private PartHarness harness;
	private PromptTablePart prompts;
	private PruningCurvePart pruning;
	private LayerHistogramPart layers;
	private JsonArray expected;

	@BeforeEach
	void open() throws Exception {
		Path run = Files.createDirectories(dir.resolve("default-run"));
		for(String name : new String[]{"results.json", "config.json"}) {
			try(InputStream in = getClass().getClassLoader().getResourceAsStream("testData/default-run/" + name)) {
				Files.copy(in, run.resolve(name));
			}
		}
		expected = JsonParser.parseString(Files.readString(run.resolve("results.json"))).getAsJsonObject().getAsJsonArray("prompts");
		harness = new PartHarness();
		prompts = harness.make(PromptTablePart.class);
		pruning = harness.make(PruningCurvePart.class);
		layers = harness.make(LayerHistogramPart.class);
		harness.run().open(run);
		harness.show();
	}

	@AfterEach
	void close() {
		harness.close();
	}

	@Test
	void promptTableHoldsEveryPromptOfTheRun() {
		Table table = prompts.table();
		assertEquals(expected.size(), table.getItemCount());
		for(int i = 0; i < expected.size(); i++) {
			JsonObject prompt = expected.get(i).getAsJsonObject();
			assertEquals(String.format(Locale.ROOT, "%.3f", prompt.getAsJsonObject("baseline").get("refusal_score").getAsDouble()),
					table.getItem(i).getText(2), "baseline score of prompt " + i);
			assertEquals(Integer.toString(prompt.getAsJsonArray("minimal_set").size()), table.getItem(i).getText(5));
		}
	}

	@Test
	void pruningCurveAndLayerHistogramHoldTheRunsSeries() {
		int flipped = -1;
		TreeMap<Integer, Integer> perLayer = new TreeMap<>();
		for(int i = 0; i < expected.size(); i++) {
			JsonArray set = expected.get(i).getAsJsonObject().getAsJsonArray("minimal_set");
			if(!set.isEmpty()) {
				flipped = i;
			}
			for(JsonElement feature : set) {
				perLayer.merge(feature.getAsJsonObject().get("layer").getAsInt(), 1, Integer::sum);
			}
		}
		assertTrue(flipped >= 0, "the recorded run flipped one prompt");
		harness.run().select(flipped);
		JsonArray trace = expected.get(flipped).getAsJsonObject().getAsJsonArray("pruning_trace");
		double[] scores = new double[trace.size()];
		for(int i = 0; i < scores.length; i++) {
			scores[i] = trace.get(i).getAsJsonObject().get("refusal_score").getAsDouble();
		}
		assertArrayEquals(scores, pruning.chart().getSeriesSet().getSeries(PruningCurvePart.SCORE).getYSeries(), 1e-9);
		double[] counts = perLayer.values().stream().mapToDouble(Integer::doubleValue).toArray();
		assertArrayEquals(counts, layers.chart().getSeriesSet().getSeries(LayerHistogramPart.MINIMAL_SET).getYSeries(), 1e-9);
	}
}
