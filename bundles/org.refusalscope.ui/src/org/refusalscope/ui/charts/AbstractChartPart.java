package org.refusalscope.ui.charts;

import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.events.PaintEvent;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ICustomPaintListener;
import org.eclipse.swtchart.ISeries;
import org.refusalscope.ui.model.OpenRun;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * An e4 part holding one SWTChart that is refilled whenever the open run or the selected prompt changes. Subclasses
 * only turn results into series; they report their paints to the run's {@link org.refusalscope.ui.model.DrawLog}.
 */
public abstract class AbstractChartPart {

	private final Consumer<OpenRun> listener = this::refresh;
	private OpenRun run;
	private Chart chart;

	@PostConstruct
	public void createControls(Composite parent, OpenRun openRun) {
		run = openRun;
		parent.setLayout(new FillLayout());
		chart = new Chart(parent, SWT.NONE);
		chart.getLegend().setPosition(SWT.BOTTOM);
		String id = getClass().getSimpleName();
		run.drawLog().register(id);
		chart.getPlotArea().addCustomPaintListener(new ICustomPaintListener() {

			@Override
			public void paintControl(PaintEvent e) {
				run.drawLog().drawn(id);
			}
		});
		run.addListener(listener);
		refresh(run);
	}

	@PreDestroy
	public void dispose() {
		run.removeListener(listener);
		run.drawLog().unregister(getClass().getSimpleName());
	}

	public Chart chart() {
		return chart;
	}

	private void refresh(OpenRun current) {
		if(chart.isDisposed()) {
			return;
		}
		for(ISeries<?> series : chart.getSeriesSet().getSeries()) {
			chart.getSeriesSet().deleteSeries(series.getId());
		}
		fill(chart, current);
		chart.getAxisSet().adjustRange();
		chart.redraw();
	}

	/** Creates the series for the current state; the old ones are already gone. */
	protected abstract void fill(Chart target, OpenRun current);
}
