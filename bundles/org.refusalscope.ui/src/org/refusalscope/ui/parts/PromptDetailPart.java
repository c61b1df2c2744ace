package org.refusalscope.ui.parts;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.core.runs.DissectionResults.HydraFeature;
import org.refusalscope.core.runs.DissectionResults.MinimalSetFeature;
import org.refusalscope.core.runs.DissectionResults.Outcome;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.ui.model.NeuronpediaLinks;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.model.ResultsViews;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * The selected prompt: baseline and ablated completions side by side, the minimal set (with each feature's stored
 * baseline activation, and Neuronpedia links for published SAEs; double-click opens one) and the hydra features,
 * highlighted in red.
 */
public class PromptDetailPart {

	static final String NO_ACTIVATION = "n/a";
	private final Consumer<OpenRun> listener = this::refresh;
	private OpenRun run;
	private Label promptLabel;
	private Label baselineLabel;
	private Label ablatedLabel;
	private Text baselineText;
	private Text ablatedText;
	private Table minimalSet;
	private Table hydra;

	@PostConstruct
	public void createControls(Composite parent, OpenRun openRun) {
		run = openRun;
		parent.setLayout(new FillLayout());
		SashForm sash = new SashForm(parent, SWT.VERTICAL);
		Composite top = new Composite(sash, SWT.NONE);
		top.setLayout(new GridLayout(2, true));
		promptLabel = new Label(top, SWT.WRAP);
		promptLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
		baselineLabel = new Label(top, SWT.NONE);
		baselineLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		ablatedLabel = new Label(top, SWT.NONE);
		ablatedLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		baselineText = completion(top);
		ablatedText = completion(top);
		minimalSet = table(sash, "Layer", "Feature", "Cosine", "Activation", "Neuronpedia");
		minimalSet.getColumn(4).setWidth(330);
		minimalSet.addListener(SWT.DefaultSelection, e -> {
			if(e.item instanceof TableItem item && item.getText(4).startsWith("https://")) {
				Program.launch(item.getText(4));
			}
		});
		hydra = table(sash, "Hydra layer", "Feature", "Baseline act.", "Ablated act.", "Δ refusal score");
		sash.setWeights(45, 30, 25);
		run.addListener(listener);
		refresh(run);
	}

	@PreDestroy
	public void dispose() {
		run.removeListener(listener);
	}

	public Text baselineText() {
		return baselineText;
	}

	public Text ablatedText() {
		return ablatedText;
	}

	public Table minimalSetTable() {
		return minimalSet;
	}

	public Table hydraTable() {
		return hydra;
	}

	private static Text completion(Composite parent) {
		Text text = new Text(parent, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.READ_ONLY);
		text.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		return text;
	}

	private static Table table(Composite parent, String... titles) {
		Table table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION);
		table.setHeaderVisible(true);
		table.setLinesVisible(true);
		for(String title : titles) {
			TableColumn column = new TableColumn(table, SWT.RIGHT);
			column.setText(title);
			column.setWidth(100);
		}
		return table;
	}

	private void refresh(OpenRun current) {
		if(minimalSet.isDisposed()) {
			return;
		}
		PromptResult prompt = current.selectedPrompt().orElse(null);
		promptLabel.setText(prompt == null ? "Select a prompt." : "Prompt: " + PromptTablePart.oneLine(prompt.prompt()));
		baselineLabel.setText("Baseline: " + verdict(prompt == null ? null : prompt.baseline()));
		ablatedLabel.setText("Minimal set ablated: " + verdict(prompt == null ? null : prompt.ablated()));
		baselineText.setText(completion(prompt == null ? null : prompt.baseline()));
		ablatedText.setText(completion(prompt == null ? null : prompt.ablated()));
		minimalSet.removeAll();
		hydra.removeAll();
		if(prompt != null) {
			fillMinimalSet(prompt, current.results().get().run() == null ? List.of() : current.results().get().run().sae());
			for(HydraFeature feature : ResultsViews.nonNull(prompt.hydra())) {
				TableItem item = new TableItem(hydra, SWT.NONE);
				item.setText(new String[]{String.valueOf(feature.layer()), String.valueOf(feature.feature()),
						String.format("%.4g", feature.baselineActivation()), String.format("%.4g", feature.ablatedActivation()),
						String.format("%+.4f", feature.deltaRefusalScore())});
				item.setForeground(hydra.getDisplay().getSystemColor(SWT.COLOR_RED));
			}
		}
		baselineLabel.getParent().layout(true);
	}

	private void fillMinimalSet(PromptResult prompt, List<String> saes) {
		Set<Feature> hydraFeatures = ResultsViews.hydra(prompt);
		for(MinimalSetFeature member : ResultsViews.nonNull(prompt.minimalSet())) {
			Feature feature = member.ref();
			TableItem item = new TableItem(minimalSet, SWT.NONE);
			var cosine = ResultsViews.cosine(prompt, feature);
			item.setText(new String[]{String.valueOf(feature.layer()), String.valueOf(feature.feature()),
					cosine.isPresent() ? String.format("%.4f", cosine.getAsDouble()) : "", activation(member),
					NeuronpediaLinks.url(saes, feature.layer(), feature.feature()).orElse("")});
			if(hydraFeatures.contains(feature)) {
				item.setForeground(minimalSet.getDisplay().getSystemColor(SWT.COLOR_RED));
			}
		}
	}

	/** 3 significant digits; files written before results.json recorded the activation have none: n/a. */
	static String activation(MinimalSetFeature member) {
		return member.activation() == null ? NO_ACTIVATION : String.format(Locale.ROOT, "%.3g", member.activation());
	}

	private static String verdict(Outcome outcome) {
		if(outcome == null) {
			return "";
		}
		return (outcome.refused() ? "refused" : "complied") + String.format(" (refusal score %.3f)", outcome.refusalScore());
	}

	private static String completion(Outcome outcome) {
		if(outcome == null) {
			return "";
		}
		return outcome.completion() == null ? "(completion redacted in this run)" : outcome.completion();
	}
}
