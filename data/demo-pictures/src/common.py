import random
W,H=1200,675
def sky(top,bottom,sun=None):
    s=f'<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/></linearGradient></defs><rect width="{W}" height="{H}" fill="url(#sky)"/>'
    if sun: s+=f'<circle cx="{sun[0]}" cy="{sun[1]}" r="{sun[2]}" fill="{sun[3]}" opacity=".9"/>'
    return s
def cloud(x,y,s=1,op=.85):
    return f'<g transform="translate({x},{y}) scale({s})" fill="#fff" opacity="{op}"><ellipse cx="0" cy="0" rx="60" ry="22"/><ellipse cx="40" cy="-12" rx="45" ry="26"/><ellipse cx="-35" cy="-6" rx="35" ry="18"/></g>'
def palm(x,y,h,lean=0,col="#2f6b2a"):
    tx=x+lean; ty=y-h
    s=f'<path d="M{x},{y} Q{x+lean*0.3},{y-h*0.5} {tx},{ty}" stroke="#7a5a3a" stroke-width="{max(6,h*0.05)}" fill="none" stroke-linecap="round"/>'
    for a,l in [(-160,1),(-130,1.1),(-95,0.9),(-60,1.1),(-25,1),(10,0.8),(170,0.8)]:
        import math
        r=h*0.45*l
        ex=tx+r*math.cos(math.radians(a)); ey=ty+r*math.sin(math.radians(a))+r*0.35
        cx=tx+r*0.5*math.cos(math.radians(a)); cy=ty+r*0.5*math.sin(math.radians(a))-r*0.15
        s+=f'<path d="M{tx},{ty} Q{cx},{cy} {ex},{ey}" stroke="{col}" stroke-width="{max(5,h*0.045)}" fill="none" stroke-linecap="round"/>'
    s+=f'<circle cx="{tx-4}" cy="{ty+6}" r="{h*0.03}" fill="#5b4a1e"/><circle cx="{tx+6}" cy="{ty+8}" r="{h*0.03}" fill="#6b5a22"/>'
    return s
def svg(body): return f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">{body}</svg>'
CONT=["#b8433a","#1f5f99","#d19a12","#2e7d4f","#6b7785","#c2672b"]
def container(x,y,w=90,h=34,c="#b8433a"):
    s=f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}" stroke="#00000030"/>'
    for i in range(1,int(w/10)):
        s+=f'<line x1="{x+i*10}" y1="{y+3}" x2="{x+i*10}" y2="{y+h-3}" stroke="#00000025" stroke-width="2"/>'
    return s
def truck(x,y,c="#1f5f99",flip=False):
    t=f'<g transform="translate({x},{y}){" scale(-1,1)" if flip else ""}">'
    t+=container(0,-44,110,40,c)+'<rect x="112" y="-36" width="34" height="32" rx="4" fill="#eef1f4" stroke="#9aa5b1"/><rect x="120" y="-30" width="18" height="12" fill="#7aa7c7"/>'
    t+='<rect x="-2" y="-5" width="150" height="6" fill="#333"/>'
    for wx in [15,40,130]: t+=f'<circle cx="{wx}" cy="4" r="9" fill="#222"/><circle cx="{wx}" cy="4" r="4" fill="#999"/>'
    return t+'</g>'
def bush(x,y,r,col):
    return f'<ellipse cx="{x}" cy="{y}" rx="{r}" ry="{r*0.75}" fill="{col}"/>'
