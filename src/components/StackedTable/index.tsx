import React, {Children, cloneElement, isValidElement, type ReactElement, type ReactNode} from 'react';
import styles from './styles.module.css';

type WithChildren = {children?: ReactNode};

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<WithChildren>(node)) return textOf(node.props.children);
  return '';
}

const ROLES: Record<string, string> = {
  table: 'table',
  thead: 'rowgroup',
  tbody: 'rowgroup',
  tr: 'row',
  th: 'columnheader',
  td: 'cell',
};

/**
 * A Markdown table that stays a table on wide screens and turns each row into a card on narrow
 * ones, every cell labelled with its column's heading. It works at render time (the labels are in
 * the static HTML), and keeps the table's roles, which `display: block` would otherwise drop.
 */
export default function StackedTable({children}: WithChildren): ReactNode {
  const labels = headLabels(children);

  const rewrite = (node: ReactNode): ReactNode =>
    Children.map(node, (child) => {
      if (!isValidElement<WithChildren & Record<string, unknown>>(child) || typeof child.type !== 'string')
        return child;
      const type = child.type;
      const extra: Record<string, unknown> = {role: ROLES[type]};
      let inner = child.props.children;
      if (type === 'tr') {
        let column = 0;
        inner = Children.map(inner, (cell) => {
          if (!isValidElement<Record<string, unknown>>(cell) || typeof cell.type !== 'string') return cell;
          if (cell.type === 'th') return cloneElement(cell, {role: ROLES.th});
          return cloneElement(cell, {role: ROLES.td, 'data-label': labels[column++]});
        });
      } else {
        inner = rewrite(inner);
      }
      return cloneElement(child, extra, inner);
    });

  return <div className={styles.stacked}>{rewrite(children)}</div>;
}

/** The column headings: the text of each cell of the table's `<thead>` row. */
function headLabels(node: ReactNode): string[] {
  for (const child of Children.toArray(node)) {
    if (!isValidElement<WithChildren>(child)) continue;
    if (child.type === 'thead')
      return Children.toArray(textRow(child))
        .filter((cell) => isValidElement(cell))
        .map(textOf);
    const found = headLabels(child.props.children);
    if (found.length > 0) return found;
  }
  return [];
}

/** The heading cells of a `<thead>`: the children of its one row. */
function textRow(thead: ReactElement<WithChildren>): ReactNode {
  const row = Children.toArray(thead.props.children).find((child) => isValidElement(child));
  return isValidElement<WithChildren>(row) ? row.props.children : null;
}
