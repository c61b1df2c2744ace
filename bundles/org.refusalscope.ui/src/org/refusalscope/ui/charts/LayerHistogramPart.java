package org.refusalscope.ui.charts;

import java.util.SortedMap;
import java.util.TreeSet;

import org.eclipse.swt.SWT;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.IBarSeries;
import org.eclipse.swtchart.ISeries.SeriesType;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.model.ResultsViews;

/** Minimal-set features per layer over all prompts of the run, hydra features per layer beside them in red. */
public class LayerHistogramPart extends AbstractChartPart {

	public static final String MINIMAL_SET = "minimal-set features";
	public static final String HYDRA = "hydra features";

	@Override
	protected void fill(Chart target, OpenRun current) {
		target.getTitle().setText("Minimal-set features per layer");
		target.getAxisSet().getYAxis(0).getTitle().setText("features");
		IAxis x = target.getAxisSet().getXAxis(0);
		x.getTitle().setText("layer");
		if(current.results().isEmpty()) {
			return;
		}
		DissectionResults results = current.results().get();
		SortedMap<Integer, Integer> minimal = ResultsViews.layerHistogram(results);
		SortedMap<Integer, Integer> hydra = ResultsViews.hydraLayerHistogram(results);
		TreeSet<Integer> layers = new TreeSet<>(minimal.keySet());
		layers.addAll(hydra.keySet());
		if(layers.isEmpty()) {
			return;
		}
		x.enableCategory(true);
		x.setCategorySeries(layers.stream().map(String::valueOf).toArray(String[]::new));
		bars(target, MINIMAL_SET, layers, minimal, SWT.COLOR_DARK_BLUE);
		if(!hydra.isEmpty()) {
			bars(target, HYDRA, layers, hydra, SWT.COLOR_RED);
		}
	}

	private static void bars(Chart target, String id, TreeSet<Integer> layers, SortedMap<Integer, Integer> counts, int color) {
		IBarSeries<?> series = (IBarSeries<?>) target.getSeriesSet().createSeries(SeriesType.BAR, id);
		series.setYSeries(layers.stream().mapToDouble(layer -> counts.getOrDefault(layer, 0)).toArray());
		series.setBarColor(target.getDisplay().getSystemColor(color));
	}
}
