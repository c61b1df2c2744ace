package org.refusalscope.ui.charts;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.ILineSeries;
import org.eclipse.swtchart.ILineSeries.PlotSymbolType;
import org.eclipse.swtchart.ISeries.SeriesType;
import org.eclipse.swtchart.LineStyle;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.core.runs.DissectionResults.TraceStep;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.model.ResultsViews;

/** Refusal score against pruning step for the selected prompt; accepted removals marked. */
public class PruningCurvePart extends AbstractChartPart {

	public static final String SCORE = "refusal score";
	public static final String ACCEPTED = "accepted removal";

	@Override
	protected void fill(Chart target, OpenRun current) {
		target.getTitle().setText("Pruning curve");
		target.getAxisSet().getXAxis(0).getTitle().setText("step");
		target.getAxisSet().getYAxis(0).getTitle().setText("refusal score (log-odds)");
		List<TraceStep> trace = current.selectedPrompt().map(PromptResult::pruningTrace).map(ResultsViews::nonNull)
				.orElse(List.of());
		if(trace.isEmpty()) {
			return;
		}
		Display display = target.getDisplay();
		ILineSeries<?> score = (ILineSeries<?>) target.getSeriesSet().createSeries(SeriesType.LINE, SCORE);
		score.setXSeries(trace.stream().mapToDouble(TraceStep::step).toArray());
		score.setYSeries(trace.stream().mapToDouble(TraceStep::refusalScore).toArray());
		score.setLineColor(display.getSystemColor(SWT.COLOR_DARK_BLUE));
		score.setSymbolType(PlotSymbolType.CIRCLE);
		score.setSymbolSize(3);
		score.setSymbolColor(display.getSystemColor(SWT.COLOR_DARK_BLUE));
		List<TraceStep> accepted = trace.stream().filter(TraceStep::accepted).toList();
		if(!accepted.isEmpty()) {
			ILineSeries<?> marks = (ILineSeries<?>) target.getSeriesSet().createSeries(SeriesType.LINE, ACCEPTED);
			marks.setXSeries(accepted.stream().mapToDouble(TraceStep::step).toArray());
			marks.setYSeries(accepted.stream().mapToDouble(TraceStep::refusalScore).toArray());
			marks.setLineStyle(LineStyle.NONE);
			marks.setSymbolType(PlotSymbolType.DIAMOND);
			marks.setSymbolSize(6);
			marks.setSymbolColor(display.getSystemColor(SWT.COLOR_DARK_GREEN));
		}
	}
}
