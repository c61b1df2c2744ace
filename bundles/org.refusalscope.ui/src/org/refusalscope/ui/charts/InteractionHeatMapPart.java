package org.refusalscope.ui.charts;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.model.ResultsViews;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Heat map of the stored pairwise interaction weights among the strongest features of the selected prompt. SWTChart
 * has no heat map, so this is drawn on an SWT Canvas: blue negative (toward compliance), red positive, grey where
 * results.json holds no weight for the pair; hydra features are labelled in red.
 */
public class InteractionHeatMapPart {

	static final int MAX_FEATURES = 12;
	private static final String ID = InteractionHeatMapPart.class.getSimpleName();
	private final Consumer<OpenRun> listener = current -> redraw();
	private OpenRun run;
	private Canvas canvas;
	private List<Feature> features = List.of();
	private double[][] weights = new double[0][0];
	private Set<Feature> hydra = Set.of();

	@PostConstruct
	public void createControls(Composite parent, OpenRun openRun) {
		run = openRun;
		parent.setLayout(new FillLayout());
		canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
		canvas.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_WHITE));
		canvas.addPaintListener(e -> {
			paint(e.gc, canvas.getClientArea());
			run.drawLog().drawn(ID);
		});
		run.drawLog().register(ID);
		run.addListener(listener);
		redraw();
	}

	@PreDestroy
	public void dispose() {
		run.removeListener(listener);
		run.drawLog().unregister(ID);
	}

	/** The features on both axes, strongest first (for tests and tooltips). */
	public List<Feature> features() {
		return features;
	}

	/** The matrix drawn, NaN where no weight is stored. */
	public double[][] weights() {
		return weights;
	}

	public Canvas canvas() {
		return canvas;
	}

	private void redraw() {
		PromptResult prompt = run.selectedPrompt().orElse(null);
		features = prompt == null ? List.of() : ResultsViews.strongestPairFeatures(prompt, MAX_FEATURES);
		weights = prompt == null ? new double[0][0] : ResultsViews.pairMatrix(prompt, features);
		hydra = prompt == null ? Set.of() : ResultsViews.hydra(prompt);
		if(!canvas.isDisposed()) {
			canvas.redraw();
		}
	}

	private void paint(GC gc, Rectangle area) {
		gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_BLACK));
		gc.drawText("FM interaction weights (strongest pairs)", area.x + 8, area.y + 4, true);
		int n = features.size();
		if(n == 0) {
			gc.drawText("no interaction pairs for this prompt", area.x + 8, area.y + 28, true);
			return;
		}
		double max = 0;
		for(double[] row : weights) {
			for(double w : row) {
				if(!Double.isNaN(w)) {
					max = Math.max(max, Math.abs(w));
				}
			}
		}
		int labelWidth = 0;
		for(Feature feature : features) {
			labelWidth = Math.max(labelWidth, gc.textExtent(ResultsViews.label(feature)).x);
		}
		int top = area.y + 28;
		int left = area.x + labelWidth + 14;
		int cell = Math.max(4, Math.min((area.width - left - 8) / n, (area.height - top - 8 - labelWidth) / n));
		for(int i = 0; i < n; i++) {
			String text = ResultsViews.label(features.get(i));
			Color labelColor = canvas.getDisplay().getSystemColor(hydra.contains(features.get(i)) ? SWT.COLOR_RED : SWT.COLOR_BLACK);
			gc.setForeground(labelColor);
			Point extent = gc.textExtent(text);
			gc.drawText(text, left - extent.x - 6, top + i * cell + (cell - extent.y) / 2, true);
			drawVertical(gc, text, left + i * cell + (cell - extent.y) / 2, top + n * cell + 4, labelColor);
			for(int j = 0; j < n; j++) {
				Color fill = new Color(colour(weights[i][j], max));
				gc.setBackground(fill);
				gc.fillRectangle(left + j * cell, top + i * cell, cell, cell);
				fill.dispose();
			}
		}
		gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_GRAY));
		gc.drawRectangle(left, top, n * cell, n * cell);
		gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_BLACK));
		gc.drawText(String.format("max |w| = %.3g", max), left, top + n * cell + labelWidth + 8, true);
	}

	private static void drawVertical(GC gc, String text, int x, int y, Color color) {
		org.eclipse.swt.graphics.Transform transform = new org.eclipse.swt.graphics.Transform(gc.getDevice());
		transform.translate(x, y);
		transform.rotate(90);
		gc.setTransform(transform);
		gc.setForeground(color);
		gc.drawText(text, 0, -gc.textExtent(text).y, true);
		gc.setTransform(null);
		transform.dispose();
	}

	/** Diverging palette: white at 0, red for positive, blue for negative, light grey for missing. */
	static RGB colour(double weight, double max) {
		if(Double.isNaN(weight)) {
			return new RGB(225, 225, 225);
		}
		double t = max == 0 ? 0 : Math.min(1, Math.abs(weight) / max);
		int fade = (int) Math.round(255 * (1 - t));
		return weight >= 0 ? new RGB(255, fade, fade) : new RGB(fade, fade, 255);
	}
}
