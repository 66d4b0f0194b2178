import React, {useId, type ReactNode} from 'react';
import clsx from 'clsx';
import styles from './styles.module.css';

export interface Lane {
  id: string;
  label: string;
}

export interface Message {
  from: string;
  to: string;
  label: string;
  /** The walkthrough step this message belongs to. */
  step: number;
  /** A reply or redirect, drawn dashed. */
  reply?: boolean;
}

export interface SequenceDiagramProps {
  title: string;
  lanes: Lane[];
  messages: Message[];
  /** Messages of this step are highlighted. */
  activeStep?: number;
  /** Messages of steps before this one are drawn as done. */
  completedSteps: number;
}

const LANE_WIDTH = 84;
const HEADER_HEIGHT = 46;
const ROW_HEIGHT = 34;
const SELF_WIDTH = 18;

/**
 * A compact sequence diagram drawn as SVG: one lifeline per lane and one arrow per message, each
 * message's label on its own line above its arrow so the figure stays narrow (about 85 px a lane,
 * it fits a 360 px screen). The active step's messages are highlighted; the caption lists every
 * message as text, so the diagram reads the same without the picture.
 */
export default function SequenceDiagram({
  title,
  lanes,
  messages,
  activeStep,
  completedSteps,
}: SequenceDiagramProps): ReactNode {
  // Marker references are url(#id): keep the id to characters every browser accepts there.
  const id = `sequence-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const width = lanes.length * LANE_WIDTH;
  const height = HEADER_HEIGHT + messages.length * ROW_HEIGHT + 8;
  const centerOf = (laneId: string) => lanes.findIndex((lane) => lane.id === laneId) * LANE_WIDTH + LANE_WIDTH / 2;
  const stateOf = (message: Message) =>
    message.step === activeStep ? 'active' : message.step < completedSteps ? 'done' : 'idle';
  const activeLabels = messages.filter((message) => message.step === activeStep).map((message) => message.label);
  const markers = {idle: `${id}-idle`, done: `${id}-done`, active: `${id}-active`};
  const labelOf = (laneId: string) => lanes.find((lane) => lane.id === laneId)?.label ?? laneId;

  return (
    <figure className={styles.figure}>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-caption`}
      >
        <title id={`${id}-title`}>
          {title}
          {activeLabels.length > 0 ? `. Current step: ${activeLabels.join('; ')}` : ''}
        </title>
        <defs>
          {(Object.keys(markers) as Array<keyof typeof markers>).map((state) => (
            <marker
              key={state}
              id={markers[state]}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="6"
              markerHeight="6"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className={styles[`head-${state}`]} />
            </marker>
          ))}
        </defs>
        {lanes.map((lane, index) => {
          const x = index * LANE_WIDTH + LANE_WIDTH / 2;
          return (
            <g key={lane.id}>
              <rect
                className={styles.laneBox}
                x={x - LANE_WIDTH / 2 + 3}
                y={4}
                width={LANE_WIDTH - 6}
                height={30}
                rx={5}
              />
              <text className={styles.laneLabel} x={x} y={23} textAnchor="middle">
                {lane.label}
              </text>
              <line className={styles.lifeline} x1={x} y1={34} x2={x} y2={height - 2} />
            </g>
          );
        })}
        {messages.map((message, index) => {
          const top = HEADER_HEIGHT + index * ROW_HEIGHT;
          const y = top + 22;
          const x1 = centerOf(message.from);
          const x2 = centerOf(message.to);
          const state = stateOf(message);
          const arrowClass = clsx(styles.arrow, styles[state], message.reply && styles.reply);
          const left = Math.min(x1, x2);
          // Labels start at the arrow's left end and may run past its right end, never past the figure.
          const anchorEnd = left > width / 2;
          return (
            <g key={index}>
              {state === 'active' && (
                <rect className={styles.activeRow} x={0} y={top} width={width} height={ROW_HEIGHT} />
              )}
              <text
                className={clsx(styles.messageLabel, styles[`${state}Label`])}
                x={anchorEnd ? Math.max(x1, x2) + (x1 === x2 ? SELF_WIDTH : 0) : left - 4}
                y={top + 11}
                textAnchor={anchorEnd ? 'end' : 'start'}
              >
                {message.label}
              </text>
              {x1 === x2 ? (
                <path
                  className={arrowClass}
                  d={`M ${x1} ${y - 6} h ${SELF_WIDTH} v 10 h ${-SELF_WIDTH + 2}`}
                  fill="none"
                  markerEnd={`url(#${markers[state]})`}
                />
              ) : (
                <line
                  className={arrowClass}
                  x1={x1}
                  y1={y}
                  x2={x2 + (x2 > x1 ? -2 : 2)}
                  y2={y}
                  markerEnd={`url(#${markers[state]})`}
                />
              )}
            </g>
          );
        })}
      </svg>
      <figcaption id={`${id}-caption`} className={styles.caption}>
        <details>
          <summary>The messages as text</summary>
          <ol>
            {messages.map((message, index) => {
              const from = labelOf(message.from);
              const to = labelOf(message.to);
              const current = message.step === activeStep;
              return (
                <li key={index} className={clsx(current && styles.currentItem)}>
                  {from === to ? `${from}: ${message.label}` : `${from} → ${to}: ${message.label}`}
                  {current ? ' (current step)' : ''}
                </li>
              );
            })}
          </ol>
        </details>
      </figcaption>
    </figure>
  );
}
