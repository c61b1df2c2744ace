package org.refusalscope.direction.diffmeans.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.pipeline.RefusalDirection;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.direction.diffmeans.ArditiGrid;
import org.refusalscope.direction.diffmeans.DiffInMeans;
import org.refusalscope.direction.diffmeans.DirectionSelection;

class DirectionFindersTest {

	private static List<Prompt> prompts(String prefix, int n) {
		List<Prompt> out = new ArrayList<>();
		for(int i = 0; i < n; i++) {
			out.add(Prompt.of(prefix + i));
		}
		return out;
	}

	@Test
	void diffInMeansTakesTheMiddleLayerByDefault() {
		// harmful = harmless noise + (layer + 1) u + position w, so the difference is exact
		PlantedSource source = new PlantedSource(8, (pos, layer) -> new float[]{layer + 1, -pos});
		DiffInMeans finder = new DiffInMeans();
		RefusalDirection direction = finder.find(source, prompts("h", 5), prompts("n", 5), finder.defaultSettings(),
				ProgressMonitor.NULL);
		assertEquals(4, direction.layer());
		assertEquals(-1, direction.position());
		assertEquals(HookPoint.RESID_POST, direction.hook());
		assertArrayEquals(new float[]{5, 1, 0, 0, 0, 0}, direction.vector(), 1e-5f);
		assertEquals(8, direction.perLayer().length);
		assertArrayEquals(new float[]{1, 1, 0, 0, 0, 0}, direction.perLayer()[0], 1e-5f);
		assertEquals(Math.sqrt(26), direction.diagnostics().get("vector_norm"), 1e-5);
	}

	@Test
	void diffInMeansHonoursLayerAndPositionAndRejectsMissingLayers() {
		PlantedSource source = new PlantedSource(8, (pos, layer) -> new float[]{layer + 1, -pos});
		DiffInMeans finder = new DiffInMeans();
		RefusalDirection direction = finder.find(source, prompts("h", 3), prompts("n", 3),
				new DiffInMeans.Settings(2, -3, "resid_pre"), ProgressMonitor.NULL);
		assertEquals(2, direction.layer());
		assertEquals(HookPoint.RESID_PRE, direction.hook());
		assertArrayEquals(new float[]{3, 3, 0, 0, 0, 0}, direction.vector(), 1e-5f);
		assertThrows(IllegalArgumentException.class, () -> finder.find(source, prompts("h", 3), prompts("n", 3),
				new DiffInMeans.Settings(8, -1, "resid_post"), ProgressMonitor.NULL));
	}

	@Test
	void arditiGridAppliesAllThreeFiltersAndPicksTheLowestBypass() {
		// pure u at (-2,3) wins; (-3,2) is as pure but too short to induce refusal; (-1,7) is in the last 20 % of
		// layers; (-1,1) is almost pure (passes KL, worse bypass); everything else mixes in w (KL too high)
		PlantedSource source = new PlantedSource(8, (pos, layer) -> {
			if(pos == -2 && layer == 3) {
				return new float[]{2, 0};
			}
			if(pos == -3 && layer == 2) {
				return new float[]{0.1f, 0};
			}
			if(pos == -1 && layer == 7) {
				return new float[]{3, 0};
			}
			if(pos == -1 && layer == 1) {
				return new float[]{1, 0.1f};
			}
			return new float[]{1, 1};
		});
		ArditiGrid finder = new ArditiGrid();
		RefusalDirection direction = finder.find(source, prompts("h", 10), prompts("n", 10), finder.defaultSettings(),
				ProgressMonitor.NULL);
		assertEquals(3, direction.layer());
		assertEquals(-2, direction.position());
		assertEquals(HookPoint.RESID_PRE, direction.hook());
		assertArrayEquals(new float[]{2, 0, 0, 0, 0, 0}, direction.vector(), 1e-5f);
		assertEquals(2.0, direction.diagnostics().get("candidates_passing"));
		assertEquals(-5.0, direction.diagnostics().get("bypass_score"), 1e-6);
		assertEquals(15.0, direction.diagnostics().get("induce_score"), 1e-4);
		assertEquals(0.0, direction.diagnostics().get("kl_score"), 1e-9);
	}

	@Test
	void selectionRuleBreaksTiesByGridOrderAndReportsNoneWhenAllFail() {
		List<DirectionSelection.Scored> grid = List.of(new DirectionSelection.Scored(-2, 0, -3, 1, 0.05),
				new DirectionSelection.Scored(-1, 0, -3, 1, 0.05), new DirectionSelection.Scored(-1, 9, -9, 1, 0.0),
				new DirectionSelection.Scored(-1, 1, Double.NaN, 1, 0.0));
		DirectionSelection.Choice choice = DirectionSelection.select(grid, 10, 0.1, 0.0, 0.2);
		assertEquals(0, choice.best());
		assertEquals(2, choice.passing());
		assertEquals(-1, DirectionSelection.select(grid.subList(2, 4), 10, 0.1, 0.0, 0.2).best());
	}
}
