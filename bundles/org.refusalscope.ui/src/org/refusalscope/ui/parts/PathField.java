package org.refusalscope.ui.parts;

import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/** A labelled file field with a Browse button; empty means "not given". */
public class PathField {

	private final Text text;

	public PathField(Composite parent, String label) {
		text = text(parent, label, "", false);
		Button browse = new Button(text.getParent(), SWT.PUSH);
		browse.setText("Browse...");
		browse.addListener(SWT.Selection, e -> {
			FileDialog dialog = new FileDialog(text.getShell(), SWT.OPEN);
			String chosen = dialog.open();
			if(chosen != null) {
				text.setText(chosen);
			}
		});
		((GridLayout) text.getParent().getLayout()).numColumns = 3;
	}

	public Path path() {
		String value = text.getText().strip();
		return value.isEmpty() ? null : Path.of(value);
	}

	public void setPath(Path path) {
		text.setText(path == null ? "" : path.toString());
	}

	/** A labelled single-line text in its own row; {@code wide} fields take the row's width. */
	static Text text(Composite parent, String label, String value, boolean wide) {
		Composite row = new Composite(parent, SWT.NONE);
		row.setLayout(new GridLayout(2, false));
		row.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		Label name = new Label(row, SWT.NONE);
		name.setText(label);
		GridData labelData = new GridData(SWT.LEFT, SWT.CENTER, false, false);
		labelData.widthHint = 230;
		name.setLayoutData(labelData);
		Text field = new Text(row, SWT.BORDER);
		field.setText(value == null ? "" : value);
		GridData fieldData = new GridData(SWT.FILL, SWT.CENTER, true, false);
		fieldData.widthHint = wide ? 160 : 80;
		field.setLayoutData(fieldData);
		return field;
	}
}
