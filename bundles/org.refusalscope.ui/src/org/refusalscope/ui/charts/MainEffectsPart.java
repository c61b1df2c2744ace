package org.refusalscope.ui.charts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.IBarSeries;
import org.eclipse.swtchart.ISeries.SeriesType;
import org.refusalscope.core.runs.DissectionResults.Effect;
import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.model.ResultsViews;

/**
 * The interaction model's main effects for the selected prompt, strongest first. Hydra features get their own red
 * series (overlaid, so each feature keeps one bar).
 */
public class MainEffectsPart extends AbstractChartPart {

	public static final String EFFECT = "main effect";
	public static final String HYDRA = "hydra feature";
	static final int MAX_BARS = 20;

	@Override
	protected void fill(Chart target, OpenRun current) {
		target.getTitle().setText("FM main effects");
		target.getAxisSet().getYAxis(0).getTitle().setText("weight");
		IAxis x = target.getAxisSet().getXAxis(0);
		x.getTitle().setText("feature (layer/index)");
		if(current.selectedPrompt().isEmpty() || current.selectedPrompt().get().interactions() == null) {
			return;
		}
		PromptResult prompt = current.selectedPrompt().get();
		List<Effect> effects = new ArrayList<>(ResultsViews.nonNull(prompt.interactions().mainEffects()));
		if(effects.isEmpty()) {
			return;
		}
		effects.sort(Comparator.comparingDouble((Effect e) -> -Math.abs(e.weight())));
		effects = effects.subList(0, Math.min(MAX_BARS, effects.size()));
		Set<Feature> hydra = ResultsViews.hydra(prompt);
		x.enableCategory(true);
		x.setCategorySeries(effects.stream().map(e -> ResultsViews.label(e.layer(), e.feature())).toArray(String[]::new));
		x.getTick().setTickLabelAngle(45);
		double[] plain = new double[effects.size()];
		double[] highlighted = new double[effects.size()];
		for(int i = 0; i < effects.size(); i++) {
			Effect effect = effects.get(i);
			boolean isHydra = hydra.contains(new Feature(effect.layer(), effect.feature()));
			(isHydra ? highlighted : plain)[i] = effect.weight();
		}
		bars(target, EFFECT, plain, SWT.COLOR_DARK_BLUE);
		if(effects.stream().anyMatch(e -> hydra.contains(new Feature(e.layer(), e.feature())))) {
			bars(target, HYDRA, highlighted, SWT.COLOR_RED);
		}
	}

	private static void bars(Chart target, String id, double[] values, int color) {
		IBarSeries<?> series = (IBarSeries<?>) target.getSeriesSet().createSeries(SeriesType.BAR, id);
		series.setYSeries(values);
		series.setBarColor(target.getDisplay().getSystemColor(color));
		series.setBarOverlay(true);
	}
}
