package org.refusalscope.ui.parts;

import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.model.ResultsViews;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/** One row per dissected prompt: baseline score and verdict, flipped or not, minimal-set size. */
public class PromptTablePart {

	static final String[] COLUMNS = {"#", "Prompt", "Baseline score", "Verdict", "Flipped", "Set size",
			"Evals"};
	private static final int[] WIDTHS = {32, 240, 100, 70, 60, 66, 54};
	private final Consumer<OpenRun> listener = this::refresh;
	private OpenRun run;
	private Table table;
	private DissectionResults shown;

	@PostConstruct
	public void createControls(Composite parent, OpenRun openRun) {
		run = openRun;
		parent.setLayout(new FillLayout());
		table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		for(int i = 0; i < COLUMNS.length; i++) {
			TableColumn column = new TableColumn(table, i == 1 ? SWT.LEFT : SWT.RIGHT);
			column.setText(COLUMNS[i]);
			column.setWidth(WIDTHS[i]);
		}
		table.addListener(SWT.Selection, e -> run.select(table.getSelectionIndex()));
		run.addListener(listener);
		refresh(run);
	}

	@PreDestroy
	public void dispose() {
		run.removeListener(listener);
	}

	public Table table() {
		return table;
	}

	private void refresh(OpenRun current) {
		if(table.isDisposed()) {
			return;
		}
		DissectionResults results = current.results().orElse(null);
		if(results != shown) {
			shown = results;
			table.removeAll();
			if(results != null) {
				for(int i = 0; i < results.prompts().size(); i++) {
					new TableItem(table, SWT.NONE).setText(row(i, results.prompts().get(i)));
				}
			}
		}
		if(current.selectedIndex() != table.getSelectionIndex()) {
			if(current.selectedIndex() < 0) {
				table.deselectAll();
			} else {
				table.setSelection(current.selectedIndex());
			}
		}
	}

	static String[] row(int index, PromptResult prompt) {
		boolean hasBaseline = prompt.baseline() != null;
		return new String[]{String.valueOf(index + 1), oneLine(prompt.prompt()),
				hasBaseline ? String.format("%.3f", prompt.baseline().refusalScore()) : "",
				hasBaseline ? (prompt.baseline().refused() ? "refused" : "complied") : "",
				ResultsViews.flipped(prompt) ? "yes" : "no", String.valueOf(ResultsViews.nonNull(prompt.minimalSet()).size()),
				String.valueOf(prompt.evaluations())};
	}

	static String oneLine(String text) {
		return text == null ? "" : text.replaceAll("\\s+", " ").strip();
	}
}
