package org.refusalscope.ui.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swtchart.IBarSeries;
import org.eclipse.swtchart.ISeries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.ui.testing.PartHarness;
import org.refusalscope.ui.testing.RunFixtures;

/** The four charts on the fixture run: each holds the series the file implies, counted by hand. */
class ChartPartsTest {

	@TempDir
	Path dir;
	private PartHarness harness;
	private PruningCurvePart pruning;
	private LayerHistogramPart layers;
	private MainEffectsPart effects;
	private InteractionHeatMapPart heatMap;

	@BeforeEach
	void open() throws Exception {
		harness = new PartHarness();
		pruning = harness.make(PruningCurvePart.class);
		layers = harness.make(LayerHistogramPart.class);
		effects = harness.make(MainEffectsPart.class);
		heatMap = harness.make(InteractionHeatMapPart.class);
		harness.run().open(RunFixtures.writeRun(dir.resolve("run")));
		harness.show();
	}

	@AfterEach
	void close() {
		harness.close();
	}

	@Test
	void pruningCurveFollowsTheTraceOfTheSelectedPrompt() {
		assertEquals(0, pruning.chart().getSeriesSet().getSeries().length);
		harness.run().select(0);
		ISeries<?> score = pruning.chart().getSeriesSet().getSeries(PruningCurvePart.SCORE);
		assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, score.getXSeries());
		assertArrayEquals(new double[]{-2.05, -1.80, 1.10, 0.40, 0.95, -1.20}, score.getYSeries());
		ISeries<?> accepted = pruning.chart().getSeriesSet().getSeries(PruningCurvePart.ACCEPTED);
		assertArrayEquals(new double[]{0, 1, 5}, accepted.getXSeries());
		harness.run().select(2);
		assertArrayEquals(new double[]{0.50}, pruning.chart().getSeriesSet().getSeries(PruningCurvePart.SCORE).getYSeries());
		assertNull(pruning.chart().getSeriesSet().getSeries(PruningCurvePart.ACCEPTED));
	}

	@Test
	void layerHistogramCountsMinimalSetFeaturesOfAllPrompts() {
		// minimal sets: {L3/1234, L5/77, L5/901}, {L3/88}, {}; hydra: L6/4242
		assertArrayEquals(new String[]{"3", "5", "6"}, layers.chart().getAxisSet().getXAxis(0).getCategorySeries());
		assertArrayEquals(new double[]{2, 2, 0},
				layers.chart().getSeriesSet().getSeries(LayerHistogramPart.MINIMAL_SET).getYSeries());
		assertArrayEquals(new double[]{0, 0, 1}, layers.chart().getSeriesSet().getSeries(LayerHistogramPart.HYDRA).getYSeries());
	}

	@Test
	void mainEffectsStrongestFirstWithHydraInRed() {
		harness.run().select(0);
		assertArrayEquals(new String[]{"L3/1234", "L5/901", "L6/4242", "L5/77", "L7/12"},
				effects.chart().getAxisSet().getXAxis(0).getCategorySeries());
		assertArrayEquals(new double[]{-1.50, -0.90, 0, -0.40, 0.05},
				effects.chart().getSeriesSet().getSeries(MainEffectsPart.EFFECT).getYSeries());
		IBarSeries<?> hydra = (IBarSeries<?>) effects.chart().getSeriesSet().getSeries(MainEffectsPart.HYDRA);
		assertArrayEquals(new double[]{0, 0, 0.70, 0, 0}, hydra.getYSeries());
		assertEquals(effects.chart().getDisplay().getSystemColor(SWT.COLOR_RED), hydra.getBarColor());
		harness.run().select(1);
		assertEquals(0, effects.chart().getSeriesSet().getSeries().length);
	}

	@Test
	void heatMapHoldsThePairWeightsOfTheStrongestFeatures() {
		harness.run().select(0);
		// order by largest |pair weight|: L3/1234 and L6/4242 (0.90), L5/901 (0.60), L5/77 (0.25), L7/12 (0.10)
		List<Feature> expected = List.of(new Feature(3, 1234), new Feature(6, 4242), new Feature(5, 901), new Feature(5, 77),
				new Feature(7, 12));
		assertEquals(expected, heatMap.features());
		double[][] w = heatMap.weights();
		assertEquals(0.90, w[0][1]);
		assertEquals(0.90, w[1][0]);
		assertEquals(-0.60, w[0][2]);
		assertEquals(0.25, w[3][2]);
		assertEquals(-0.10, w[4][3]);
		assertTrue(Double.isNaN(w[0][3]), "no stored weight for L3/1234 x L5/77");
		assertTrue(Double.isNaN(w[2][2]));
	}

	@Test
	void everyChartReportsItsPaintOfTheCurrentSelection() {
		harness.run().select(0);
		assertFalse(harness.run().drawLog().allDrawn());
		harness.shell().redraw();
		harness.shell().update();
		harness.flush();
		assertTrue(harness.run().drawLog().allDrawn(), "not drawn: " + harness.run().drawLog().pending());
	}

	@Test
	void heatMapColoursAreDiverging() {
		assertEquals(new org.eclipse.swt.graphics.RGB(255, 0, 0), InteractionHeatMapPart.colour(2, 2));
		assertEquals(new org.eclipse.swt.graphics.RGB(0, 0, 255), InteractionHeatMapPart.colour(-2, 2));
		assertEquals(new org.eclipse.swt.graphics.RGB(255, 128, 128), InteractionHeatMapPart.colour(1, 2));
		assertEquals(new org.eclipse.swt.graphics.RGB(225, 225, 225), InteractionHeatMapPart.colour(Double.NaN, 2));
	}
}
